// The smallest test harness that does the job: named checks run one after another, each
// timed; a failed check does not stop the next. Ends with the line "N passed, N failed".

export class AssertionError extends Error {}

/** Throws with `message` unless `condition` holds. */
export function check(condition, message) {
  if (!condition) throw new AssertionError(message);
}

/** Throws unless `actual` equals `expected` (===), naming both. */
export function checkEqual(actual, expected, what) {
  if (actual !== expected) {
    throw new AssertionError(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export class Suite {
  constructor() {
    this.results = [];
  }

  /** Runs `body()`; on failure calls `onFailure(error)` (for a screenshot) and records it. */
  async test(name, body, onFailure) {
    const started = performance.now();
    try {
      await body();
      const ms = Math.round(performance.now() - started);
      this.results.push({ name, ok: true, ms });
      console.log(`ok    ${name} (${ms} ms)`);
    } catch (error) {
      const ms = Math.round(performance.now() - started);
      this.results.push({ name, ok: false, ms, error });
      console.log(`FAIL  ${name} (${ms} ms)`);
      console.log(indent(error instanceof AssertionError ? error.message : (error.stack ?? String(error))));
      if (onFailure) {
        try {
          await onFailure(error);
        } catch (screenshotError) {
          console.log(indent(`(no failure screenshot: ${screenshotError.message})`));
        }
      }
    }
  }

  get failed() {
    return this.results.filter((r) => !r.ok).length;
  }

  summary() {
    const passed = this.results.length - this.failed;
    if (this.failed > 0) {
      console.log('\nFailed:');
      for (const r of this.results.filter((r) => !r.ok)) console.log(`  ${r.name}`);
    }
    console.log(`\n${passed} passed, ${this.failed} failed`);
  }
}

export function indent(text, by = '      ') {
  return String(text).split('\n').map((line) => by + line).join('\n');
}
