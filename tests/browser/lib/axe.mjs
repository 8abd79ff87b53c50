// The axe-core audit: WCAG 2.0 and 2.1, levels A and AA.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe on the page and returns its violations. The script goes in through the
 * DevTools protocol (page.evaluate), which the pages' Content-Security-Policy
 * (script-src 'none') does not block, unlike a <script> element; so the page is
 * audited with its real policy in force.
 */
export async function audit(page) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(axeSource);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    WCAG_TAGS,
  );
  return result.violations;
}

/** The violations as a readable list: rule, impact, help, and each node's selector. */
export function formatViolations(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`${v.id} (${v.impact ?? 'no impact'}): ${v.help}`);
    lines.push(`  ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, 10)) {
      lines.push(`  - ${node.target.join(' ')}`);
      const summary = (node.failureSummary ?? '').split('\n').filter(Boolean).slice(0, 3);
      for (const s of summary) lines.push(`      ${s.trim()}`);
    }
    if (v.nodes.length > 10) lines.push(`  … and ${v.nodes.length - 10} more`);
  }
  return lines.join('\n');
}
