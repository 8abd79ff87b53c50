// The flows: what a reader does in the web UI, each asserting what the page shows, then the
// axe audit of every page type. Markup is the templates' (templates/*.mustache).
import path from 'node:path';

import { audit, formatViolations } from './axe.mjs';
import { AssertionError, check, checkEqual } from './harness.mjs';
import { importFlow } from './import_flow.mjs';

// The server runs with --today 2026-11-23 (run.mjs).
const TODAY_DATE = '2026-11-23';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 800 };
// A document of the corpus with three versions: KS/2009:21 (in force 2009-04-01),
// KS 2015/00212 (2015-07-01) and KS 2021/0123 (2021-07-01, current).
const DOC = 'arbetsmiljopolicy';
const DOC_TITLE = 'Arbetsmiljöpolicy';
const DNR = { 2009: 'KS/2009:21', 2015: 'KS 2015/00212', 2021: 'KS 2021/0123' };

export async function defineFlows({ browser, baseURL, artifacts, accounts }) {
  // The versions of DOC, newest first, from the JSON API.
  const response = await fetch(`${baseURL}/api/documents/${DOC}/history`);
  check(response.ok, `GET /api/documents/${DOC}/history answered ${response.status}`);
  const versions = (await response.json()).versions;
  check(versions.length === 3, `${DOC} should have 3 versions in the corpus, the API lists ${versions.length}`);
  const newest = versions[0].version;
  const oldest = versions[versions.length - 1].version;

  const screenshot = (page, name) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });

  // Runs body(page) in a fresh browser context; fails on console errors, page errors, CSP
  // violations and failed sub-resources; screenshots the page when the flow fails.
  async function withPage(name, body, { viewport = DESKTOP } = {}) {
    const context = await browser.newContext({ baseURL, viewport, locale: 'sv-SE' });
    const page = await context.newPage();
    page.setDefaultTimeout(10000);
    const problems = [];
    page.on('console', (message) => {
      // A 4xx/5xx sub-resource is reported below with its URL; the error page's own 404 is expected.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        problems.push(`console: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
    page.on('response', (r) => {
      if (r.request().resourceType() !== 'document' && r.status() >= 400) {
        problems.push(`${r.status()} for ${r.url()}`);
      }
    });
    try {
      await body(page);
      check(problems.length === 0, `the browser reported problems:\n  ${problems.join('\n  ')}`);
    } catch (error) {
      const slug = name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\w]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
      await screenshot(page, `FAILED-${slug}`).catch(() => {});
      throw error;
    } finally {
      await context.close();
    }
  }

  const flows = [];
  const flow = (name, body, options) => flows.push({ name, body: () => withPage(name, body, options) });

  flow('search: snippets, a Dokumenttyp filter, its chip', async (page) => {
    await gotoOk(page, '/');
    await page.locator('#q').fill('arbetsmiljö');
    await submit(page, page.locator('form.sokformular button[type=submit]'), (url) => url.searchParams.get('q') === 'arbetsmiljö');
    const total = await hitTotal(page);
    check(total > 1, `"arbetsmiljö" should find several documents, the page says ${total}`);
    const hits = page.locator('ol.traffar > li');
    check(await hits.count() > 0, 'no hits listed');
    const marks = await page.locator('ol.traffar .traff-utdrag mark').allTextContents();
    check(marks.length > 0, 'no highlighted (<mark>) words in the snippets');
    check(marks.some((m) => /arbet|miljö/i.test(m)), `the highlighted words are not the query's: ${marks.join(', ')}`);

    // A Dokumenttyp value that narrows the hits.
    const filters = page.getByRole('navigation', { name: 'Filtrera' });
    const doctypes = filters.locator('.facett').filter({ has: page.locator('h3', { hasText: /^Dokumenttyp$/ }) });
    const values = await doctypes.locator('a.facett-val').evaluateAll((links) => links.map((a) => ({
      label: a.querySelector('.facett-namn')?.firstChild?.textContent?.trim(),
      count: Number.parseInt(a.querySelector('.facett-antal')?.textContent ?? '', 10),
    })));
    check(values.length > 1, `the Dokumenttyp filter should offer several values, it has ${JSON.stringify(values)}`);
    const chosen = values.find((v) => v.count > 0 && v.count < total);
    check(chosen, `no Dokumenttyp value narrows the ${total} hits: ${JSON.stringify(values)}`);
    await submit(page, doctypes.locator('a.facett-val', { hasText: chosen.label }).first(),
      (url) => url.searchParams.has('doctype'));
    const url = new URL(page.url());
    checkEqual(url.searchParams.get('q'), 'arbetsmiljö', 'the search text after choosing a filter');
    const narrowed = await hitTotal(page);
    checkEqual(narrowed, chosen.count, `hits with Dokumenttyp ${chosen.label} (the filter's count)`);
    check(narrowed !== total, 'the number of hits did not change with the filter');
    const details = await page.locator('ol.traffar > li .traff-uppgifter').allTextContents();
    checkEqual(details.length, Math.min(narrowed, 20), 'hits listed with the filter');
    for (const text of details) {
      check(text.includes(chosen.label), `a hit that is not a ${chosen.label}: ${text.replace(/\s+/g, ' ').trim()}`);
    }
    const chosenLink = doctypes.locator('a.facett-val[aria-current="true"]');
    checkEqual(await chosenLink.count(), 1, 'filter values marked as chosen (aria-current)');

    // The chip of the active filter removes it.
    const chip = page.locator('.aktiva-filter a.chip');
    checkEqual(await chip.count(), 1, 'active filter chips');
    const chipText = (await chip.innerText()).replace(/\s+/g, ' ');
    check(chipText.includes(`Dokumenttyp: ${chosen.label}`), `the chip says "${chipText}"`);
    await screenshot(page, 'flode-sok-filter');
    await submit(page, chip, (u) => !u.searchParams.has('doctype'));
    checkEqual(new URL(page.url()).searchParams.get('q'), 'arbetsmiljö', 'the search text after removing the filter');
    checkEqual(await hitTotal(page), total, 'hits after removing the filter');
    checkEqual(await page.locator('.aktiva-filter a.chip').count(), 0, 'chips after removing the filter');
  });

  flow('document: opened from the hits, title and Diarienummer', async (page) => {
    await gotoOk(page, `/?q=${encodeURIComponent('arbetsmiljö')}`);
    const first = page.locator('ol.traffar > li').first();
    const link = first.locator('.traff-rubrik a');
    const title = (await link.innerText()).trim();
    const dnr = (await first.locator('.traff-uppgifter li', { hasText: 'Dnr' }).innerText()).replace(/^Dnr\s*/, '').trim();
    const href = await link.getAttribute('href');
    await submit(page, link, (url) => url.pathname === href);
    checkEqual((await page.locator('h1').innerText()).trim(), title, 'the document page\'s h1');
    check((await page.title()).startsWith(title), `the page title "${await page.title()}" does not name the document`);
    checkEqual(await metadataValue(page, 'Diarienummer'), dnr, 'Diarienummer in the metadata block');
    check((await metadataValue(page, 'Beslutad av')).length > 0, 'no "Beslutad av" in the metadata block');
    const text = await page.locator('.dokumenttext').innerText();
    check(text.length > 200, `the document text is missing or short (${text.length} characters)`);
    check(await page.locator('.dokumenttext h1').count() === 0, 'the document text has an h1 of its own');
  });

  flow('history and diff: two versions compared', async (page) => {
    await gotoOk(page, `/documents/${DOC}`);
    await submit(page, page.locator('main a[href$="/history"]').first(), (url) => url.pathname === `/documents/${DOC}/history`);
    check((await page.locator('h1').innerText()).includes(DOC_TITLE), 'the history page\'s h1 does not name the document');
    const rows = page.locator('main table tbody tr');
    checkEqual(await rows.count(), versions.length, 'rows in the versions table');
    for (const [i, v] of versions.entries()) {
      check((await rows.nth(i).innerText()).includes(v.version.slice(0, 8)), `row ${i + 1} is not version ${v.version.slice(0, 8)}`);
    }
    await page.locator('select#from').selectOption(oldest);
    await page.locator('select#to').selectOption(newest);
    await submit(page, page.locator('form.jamforformular button[type=submit]'), (url) => url.pathname === `/documents/${DOC}/diff`);
    const params = new URL(page.url()).searchParams;
    checkEqual(params.get('from'), oldest, 'from= in the diff URL');
    checkEqual(params.get('to'), newest, 'to= in the diff URL');
    check((await page.locator('h1').innerText()).includes(DOC_TITLE), 'the diff page\'s h1 does not name the document');
    // The Diarienummer changed between the versions, and so did the text.
    const dnrRow = page.locator('main table tbody tr').filter({ has: page.locator('th', { hasText: /^Diarienummer$/ }) });
    checkEqual(await dnrRow.count(), 1, 'rows for Diarienummer among the changed metadata');
    const cells = (await dnrRow.locator('td').allInnerTexts()).map((t) => t.trim());
    checkEqual(cells.join(' → '), `${DNR[2009]} → ${DNR[2021]}`, 'the Diarienummer change');
    const inserted = await page.locator('.diff ins').count();
    const deleted = await page.locator('.diff del').count();
    check(inserted > 0 && deleted > 0, `the text diff shows ${inserted} insertions and ${deleted} deletions`);
    await screenshot(page, 'flode-jamforelse');
  });

  flow('gällande per datum: search on a date, then the document form', async (page) => {
    await gotoOk(page, '/');
    await page.locator('#q').fill('arbetsmiljö');
    await page.locator('#valid_on').fill('2016-06-01');
    await submit(page, page.locator('form.sokformular button[type=submit]'), (url) => url.searchParams.get('valid_on') === '2016-06-01');
    const notice = page.getByText(/Visar dokument som gällde/);
    checkEqual(await notice.count(), 1, 'notices "Visar dokument som gällde …"');
    check((await notice.innerText()).includes('2016-06-01'), `the notice does not name the date: ${await notice.innerText()}`);
    checkEqual(await page.locator('#valid_on').inputValue(), '2016-06-01', 'the date field after the search');
    const hrefs = await page.locator('ol.traffar .traff-rubrik a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    check(hrefs.length > 0, 'no hits on 2016-06-01');
    for (const href of hrefs) check(href.endsWith('?at=2016-06-01'), `a hit links to ${href}, not to the version in force (?at=2016-06-01)`);
    const hit = page.locator('ol.traffar > li').filter({ has: page.locator(`a[href="/documents/${DOC}?at=2016-06-01"]`) });
    checkEqual(await hit.count(), 1, `hits for ${DOC} on 2016-06-01`);
    check((await hit.innerText()).includes(DNR[2015]), `the hit for ${DOC} is not the 2015 version: ${(await hit.innerText()).replace(/\s+/g, ' ')}`);
    await submit(page, hit.locator('.traff-rubrik a'), (url) => url.pathname === `/documents/${DOC}`);
    checkEqual(await metadataValue(page, 'Diarienummer'), DNR[2015], 'Diarienummer of the version in force on 2016-06-01');
    check(await page.locator('.meddelande', { hasText: /äldre version/ }).count() === 1, 'no "äldre version" banner on an earlier version');

    // The document page's own form: the version in force on another date.
    await page.locator('#at').fill('2012-01-01');
    await submit(page, page.locator('form.datumformular button[type=submit]'), (url) => url.searchParams.get('at') === '2012-01-01');
    checkEqual(await metadataValue(page, 'Diarienummer'), DNR[2009], 'Diarienummer of the version in force on 2012-01-01');
    check(await page.locator('.meddelande', { hasText: /äldre version/ }).count() === 1, 'no "äldre version" banner on the 2009 version');
    await page.locator('#at').fill(TODAY_DATE);
    await submit(page, page.locator('form.datumformular button[type=submit]'), (url) => url.searchParams.get('at') === TODAY_DATE);
    checkEqual(await metadataValue(page, 'Diarienummer'), DNR[2021], `Diarienummer of the version in force on ${TODAY_DATE}`);
    checkEqual(await page.locator('.meddelande', { hasText: /äldre version/ }).count(), 0, '"äldre version" banners on the current version');
  });

  for (const [label, url] of [['search page', '/'], ['document page', `/documents/${DOC}`]]) {
    flow(`keyboard: the skip link comes first and moves focus to main (${label})`, async (page) => {
      await gotoOk(page, url);
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => {
        const el = document.activeElement;
        const box = el.getBoundingClientRect();
        return { tag: el.tagName, href: el.getAttribute('href'), text: el.textContent.trim(),
          visible: box.width > 1 && box.height > 1 && box.top >= 0 && box.bottom <= innerHeight };
      });
      checkEqual(first.href, '#innehall', `the first Tab stop (${first.tag} "${first.text}")`);
      checkEqual(first.text, 'Hoppa till huvudinnehållet', 'the skip link\'s text');
      check(first.visible, 'the skip link is not visible when it has focus');
      if (url === '/') await screenshot(page, 'tangentbord-hopplank');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'innehall', null, { timeout: 2000 })
        .catch(() => {});
      const after = await page.evaluate(() => ({ hash: location.hash, focused: document.activeElement?.id,
        mainTop: document.getElementById('innehall')?.getBoundingClientRect().top }));
      checkEqual(after.hash, '#innehall', 'the URL fragment after the skip link');
      checkEqual(after.focused, 'innehall', 'the focused element after the skip link');
      await page.keyboard.press('Tab');
      const next = await page.evaluate(() => ({ inMain: document.getElementById('innehall').contains(document.activeElement),
        what: `${document.activeElement.tagName} ${document.activeElement.id || document.activeElement.textContent.trim().slice(0, 40)}` }));
      check(next.inMain, `Tab after the skip link leaves main: ${next.what}`);
    });
  }

  const phonePages = [
    ['sokning', '/'],
    ['sokning-traffar', `/?q=${encodeURIComponent('arbetsmiljö')}`],
    ['dokument', `/documents/${DOC}`],
    ['historik', `/documents/${DOC}/history`],
    ['jamforelse', `/documents/${DOC}/diff?from=${oldest}&to=${newest}`],
  ];
  flow('phone (375×800): no horizontal scrolling', async (page) => {
    const wide = [];
    for (const [name, url] of phonePages) {
      await gotoOk(page, url);
      const overflow = await page.evaluate(() => {
        const root = document.documentElement;
        if (root.scrollWidth <= root.clientWidth) return null;
        const culprits = [...document.body.querySelectorAll('*')]
          .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5)
          .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= root.clientWidth + 0.5)
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} (right edge ${Math.round(el.getBoundingClientRect().right)})`);
        return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, culprits };
      });
      await screenshot(page, `mobil-${name}`);
      if (overflow) {
        wide.push(`${url}: scrollWidth ${overflow.scrollWidth} > clientWidth ${overflow.clientWidth}; too wide: ${overflow.culprits.join(', ')}`);
      }
    }
    check(wide.length === 0, `pages scroll sideways on a phone:\n  ${wide.join('\n  ')}`);
  }, { viewport: PHONE });

  // Every page type, audited by axe and screenshot; `expect(page)` makes sure the page is
  // the one meant, so that an audit of an empty or wrong page cannot pass.
  const audited = [
    ['sok-start', 'search start page', '/', 200, async (page) => {
      check(await page.locator('ol.traffar > li').count() > 0, 'the start page lists no documents in force');
    }],
    ['sok-traffar-filter', 'search with hits and an active filter', `/?q=${encodeURIComponent('arbetsmiljö')}&doctype=policy`, 200, async (page) => {
      check(await page.locator('ol.traffar > li').count() > 0, 'no hits');
      checkEqual(await page.locator('.aktiva-filter a.chip').count(), 1, 'active filter chips');
      check(await page.getByRole('navigation', { name: 'Filtrera' }).count() === 1, 'no "Filtrera" navigation');
    }],
    ['sok-inga-traffar', 'search without hits', '/?q=xyzzyqwertyzz', 200, async (page) => {
      checkEqual(await page.locator('ol.traffar > li').count(), 0, 'hits');
      check(await page.getByText('Vi hittade inga dokument').count() === 1, 'no "Vi hittade inga dokument" message');
    }],
    ['dokument', 'document page', `/documents/${DOC}`, 200, async (page) => {
      checkEqual((await page.locator('h1').innerText()).trim(), DOC_TITLE, 'h1');
    }],
    ['dokument-aldre-version', 'an earlier version with its banner', `/documents/${DOC}?version=${oldest}`, 200, async (page) => {
      check(await page.locator('.meddelande', { hasText: /äldre version/ }).count() === 1, 'no "äldre version" banner');
      checkEqual(await metadataValue(page, 'Diarienummer'), DNR[2009], 'Diarienummer of the oldest version');
    }],
    ['historik', 'history', `/documents/${DOC}/history`, 200, async (page) => {
      checkEqual(await page.locator('main table tbody tr').count(), versions.length, 'rows in the versions table');
    }],
    ['jamforelse', 'diff', `/documents/${DOC}/diff?from=${oldest}&to=${newest}`, 200, async (page) => {
      check(await page.locator('.diff ins, .diff del').count() > 0, 'no <ins>/<del> in the diff');
    }],
    ['foreskrifter', '/foreskrifter', '/foreskrifter', 200, async (page) => {
      check((await page.locator('h1').innerText()).length > 0, 'no h1');
      check(await page.locator('main a[href^="/documents/"]').count() > 0, 'no links to documents');
    }],
    ['tillganglighet', '/tillganglighet', '/tillganglighet', 200, async (page) => {
      check((await page.locator('h1').innerText()).includes('Tillgänglighet'), 'the h1 is not the accessibility statement\'s');
    }],
    ['styrmodell', '/styrmodell', '/styrmodell', 200, async (page) => {
      check(await page.locator('main section.styrmodell-niva > h2').count() > 1, 'fewer than two levels');
      check(await page.locator('main ul.styrmodell-trad a[href^="/documents/"]').count() > 0, 'no documents in the tree');
      checkEqual(await page.locator('.huvudmeny a[href="/styrmodell"][aria-current="page"]').count(), 1, 'current Styrmodell links in the header');
    }],
    ['dokument-kopplingar', 'a document with its neighbourhood drawn', '/documents/budget-2026', 200, async (page) => {
      checkEqual(await page.locator('svg.grannskap-svg').count(), 1, 'drawn neighbourhoods');
      check(await page.locator('svg.grannskap-svg a[href="/documents/budget-2025"]').count() === 1, 'no link to the budget it replaces');
    }],
    ['fel-404', 'a 404 page', '/finns-inte', 404, async (page) => {
      check((await page.locator('main').innerText()).includes('404'), 'the error page does not say 404');
    }],
  ];
  for (const [name, label, url, status, expect] of audited) {
    flow(`axe (WCAG 2.1 A, AA): ${label}`, async (page) => {
      await gotoOk(page, url, status);
      await expect(page);
      checkEqual(await page.locator('h1').count(), 1, 'h1 elements on the page');
      await screenshot(page, name);
      const violations = await audit(page);
      check(violations.length === 0, `axe found ${violations.length} violation${violations.length === 1 ? '' : 's'} on ${url}:\n${formatViolations(violations)}`);
    });
  }

  // Last, since it adds a version to DOC (the flows above count its versions): an owner signs
  // in, edits DOC's text, previews it, saves it with a summary, finds the new version in the
  // history and the diff, and signs out. The sign-in page, the form, the form with errors and
  // the preview are audited by axe.
  const auditHere = async (page, name) => {
    checkEqual(await page.locator('h1').count(), 1, `h1 elements on ${name}`);
    await screenshot(page, name);
    const violations = await audit(page);
    check(violations.length === 0, `axe found ${violations.length} violation${violations.length === 1 ? '' : 's'} on ${name} (${page.url()}):\n${formatViolations(violations)}`);
  };
  flow('edit: sign in, Redigera, Förhandsgranska, save, history and diff, sign out (axe)', async (page) => {
    const owner = accounts.owner;
    await gotoOk(page, `/logga-in?next=${encodeURIComponent(`/documents/${DOC}`)}`);
    await auditHere(page, 'logga-in');
    await page.getByLabel('Användarnamn').fill(owner.name);
    await page.getByLabel('Lösenord').fill(owner.password);
    await submit(page, page.locator('main form button[type=submit]'), (url) => url.pathname === `/documents/${DOC}`);
    check((await page.locator('.inloggad-som').innerText()).includes(owner.name), 'the header does not name the signed-in user');
    checkEqual(await page.locator('.huvudmeny a[href="/nytt"]').count(), 1, '"Nytt dokument" links in the header');

    await submit(page, page.getByRole('link', { name: /^Redigera/ }), (url) => url.pathname === `/documents/${DOC}/redigera`);
    checkEqual(await page.locator('#falt-title').inputValue(), DOC_TITLE, 'the title field');
    await auditHere(page, 'redigera');

    // Errors: an empty title and no summary come back at their fields and in the summary.
    const text = await page.locator('#falt-text').inputValue();
    await page.locator('#falt-title').fill('');
    let response = await post(page, page.getByRole('button', { name: 'Spara som gällande' }), '.felsammanfattning');
    checkEqual(response.status(), 400, 'HTTP status of a form with errors');
    const summaryLinks = await page.locator('.felsammanfattning a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    check(summaryLinks.includes('#falt-title') && summaryLinks.includes('#falt-summary'), `the error summary links to ${summaryLinks.join(', ')}, not to the title and the summary`);
    checkEqual(await page.locator('#falt-title').getAttribute('aria-invalid'), 'true', 'aria-invalid of the empty title');
    check((await page.locator('#falt-title-fel').innerText()).includes('Titel måste fyllas i'), 'no Swedish error next to the title');
    checkEqual(await page.locator('#falt-text').inputValue(), text, 'the text after a form with errors');
    await auditHere(page, 'redigera-fel');

    // Preview: the changed text, rendered, and nothing saved.
    await page.locator('#falt-title').fill(DOC_TITLE);
    const added = 'Cykelparkering under tak finns vid alla arbetsplatser.';
    await page.locator('#falt-text').fill(`${text.trimEnd()}\n\n## Cykelparkering\n\n${added}\n`);
    response = await post(page, page.getByRole('button', { name: 'Förhandsgranska' }), '#forhandsgranskning-rubrik');
    checkEqual(response.status(), 200, 'HTTP status of the preview');
    const preview = page.locator('.forhandsgranskning');
    check((await preview.innerText()).includes(added), 'the preview does not show the new paragraph');
    checkEqual(await preview.locator('h3', { hasText: 'Cykelparkering' }).count(), 1, 'the new heading in the preview');
    await auditHere(page, 'forhandsgranskning');

    // At 320 px the form does not scroll sideways.
    await page.setViewportSize({ width: 320, height: 800 });
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(sideways <= 0, `the edit form scrolls sideways by ${sideways} px at 320 px`);
    await screenshot(page, 'mobil-redigera');
    await page.setViewportSize(DESKTOP);

    await page.locator('#falt-summary').fill('Nytt avsnitt om cykelparkering');
    await submit(page, page.getByRole('button', { name: 'Spara som gällande' }), (url) => url.pathname === `/documents/${DOC}`);
    check((await page.locator('.dokumenttext').innerText()).includes(added), 'the saved document does not show the new paragraph');

    await submit(page, page.locator('main a[href$="/history"]').first(), (url) => url.pathname === `/documents/${DOC}/history`);
    const rows = page.locator('main table tbody tr');
    checkEqual(await rows.count(), versions.length + 1, 'rows in the versions table after the save');
    const first = await rows.first().innerText();
    check(first.includes('Nytt avsnitt om cykelparkering') && first.includes(owner.name), `the newest version is not the save: ${first.replace(/\s+/g, ' ')}`);
    check(await page.getByRole('button', { name: /Återställ den här versionen/ }).count() === versions.length, 'no "Återställ den här versionen" button for each earlier version');
    await auditHere(page, 'historik-redigerare');
    await submit(page, rows.first().getByRole('link', { name: /Se ändringar/ }), (url) => url.pathname === `/documents/${DOC}/diff`);
    check((await page.locator('.diff ins').allInnerTexts()).some((t) => t.includes('Cykelparkering under tak')), 'the diff does not show the new paragraph as inserted');
    await screenshot(page, 'flode-redigera-jamforelse');

    // The other forms an owner meets, audited without sending them.
    // A repeal is a decision the clerk registers (DOMAIN.md), so the owner has no repeal form.
    await gotoOk(page, `/documents/${DOC}/upphav`, 403);
    await submit(page, page.locator('.huvudmeny a[href="/nytt"]'), (url) => url.pathname === '/nytt');
    checkEqual(await page.locator('#falt-owner_email').inputValue(), owner.email, 'the new document\'s owner e-mail');
    await auditHere(page, 'nytt-dokument');

    await submit(page, page.getByRole('button', { name: 'Logga ut' }), (url) => url.pathname === '/');
    checkEqual(await page.locator('.huvudmeny a', { hasText: 'Logga in' }).count(), 1, '"Logga in" links after signing out');
    checkEqual(await page.locator('.huvudmeny a[href="/nytt"]').count(), 0, '"Nytt dokument" links after signing out');
  });

  flow('granskning: a clerk filters the dashboard, records a review, sees it (axe)', async (page) => {
    const clerk = accounts.clerk;
    const reviewed = 'kulturprogram';
    await gotoOk(page, '/logga-in?next=%2Fgranskning');
    await page.getByLabel('Användarnamn').fill(clerk.name);
    await page.getByLabel('Lösenord').fill(clerk.password);
    await submit(page, page.locator('main form button[type=submit]'), (url) => url.pathname === '/granskning');
    checkEqual(await page.locator('.huvudmeny a[href="/granskning"][aria-current="page"]').count(), 1, 'the header\'s current "Granskning" link');
    const intro = await page.locator('main .ingress').first().innerText();
    check(intro.includes('2026–2030') && intro.includes('2027-10-15'), `the mandate period and its deadline are not stated: ${intro}`);
    check(await page.locator(`#ska-provas ~ div a[href="/documents/${reviewed}"]`).count() > 0 ||
          await page.locator('section[aria-labelledby="ska-provas"]').locator(`a[href="/documents/${reviewed}"]`).count() > 0,
          `${reviewed} is not listed as due`);
    const chart = page.locator('svg[role="img"]');
    checkEqual(await chart.count(), 1, 'the chart');
    checkEqual(await chart.getAttribute('aria-labelledby'), 'diagram-titel diagram-beskrivning', 'the chart\'s accessible name');
    await auditHere(page, 'granskning');

    // The GET filter form: fullmäktige's documents only.
    await page.getByLabel('Organ', { exact: true }).selectOption('kf');
    await submit(page, page.getByRole('button', { name: 'Visa', exact: true }), (url) => url.pathname === '/granskning' && url.searchParams.get('organ') === 'kf');
    const due = page.locator('section[aria-labelledby="ska-provas"]');
    check(await due.locator(`a[href="/documents/${reviewed}"]`).count() > 0, `${reviewed} is not listed for kf`);
    const csv = await page.request.get(await page.locator('a[href^="/granskning.csv"]').getAttribute('href'));
    checkEqual(csv.status(), 200, 'HTTP status of the CSV link');
    check(/attachment/.test(csv.headers()['content-disposition'] ?? ''), 'the CSV is not an attachment');
    await auditHere(page, 'granskning-filtrerad');

    // At 375 px the dashboard does not scroll sideways (its tables scroll in their regions).
    await page.setViewportSize({ width: 375, height: 800 });
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(sideways <= 0, `the dashboard scrolls sideways by ${sideways} px at 375 px`);
    await screenshot(page, 'mobil-granskning');
    await page.setViewportSize(DESKTOP);

    // The review form from the list, then the recorded review on the document page.
    await submit(page, due.locator(`a[href="/documents/${reviewed}/provning"]`), (url) => url.pathname === `/documents/${reviewed}/provning`);
    await auditHere(page, 'granskning-provning');
    await page.locator('#falt-decided_by').selectOption('kf');
    await page.locator('#falt-decided_on').fill('2026-11-20');
    await page.locator('#falt-paragraph').fill('§ 140');
    await page.locator('#falt-dnr').fill('KS 2026/00400');
    await page.locator('#falt-outcome').check();
    await submit(page, page.getByRole('button', { name: 'Registrera prövningen' }), (url) => url.pathname === `/documents/${reviewed}`);
    const history = await page.locator('#aktualitetsprovning').innerText();
    check(history.includes('2026-11-20') && /fortsatt gällande/i.test(history), `the document page does not show the review: ${history.replace(/\s+/g, ' ')}`);

    // Off the due list; in this year's report, with its outcome.
    await gotoOk(page, '/granskning?organ=kf');
    checkEqual(await page.locator('section[aria-labelledby="ska-provas"]').locator(`a[href="/documents/${reviewed}"]`).count(), 0, `${reviewed} still listed as due`);
    await gotoOk(page, '/granskning/rapport?ar=2026&organ=kf');
    const report = await page.locator('main').innerText();
    check(/fortsatt gällande/i.test(report) && report.includes('2026-11-20'), 'the yearly report does not list the review');
    await auditHere(page, 'granskning-rapport');

    // The repeal form, audited without sending it.
    await gotoOk(page, `/documents/${reviewed}/upphav`);
    checkEqual(await page.locator('#falt-decided_by').count(), 1, 'the repeal form\'s Beslutad av');
    await auditHere(page, 'upphav');
  });

  flow('granskning: one decision for several documents from the dashboard form (axe)', async (page) => {
    const clerk = accounts.clerk;
    const kept = 'hallbarhetsprogram';
    const revised = 'agardirektiv-kbab';
    await gotoOk(page, '/logga-in?next=%2Fgranskning');
    await page.getByLabel('Användarnamn').fill(clerk.name);
    await page.getByLabel('Lösenord').fill(clerk.password);
    await submit(page, page.locator('main form button[type=submit]'), (url) => url.pathname === '/granskning');
    const section = page.locator('#gemensamt-beslut');
    checkEqual(await section.locator('legend', { hasText: 'Dokument som beslutet gäller' }).count(), 1, 'the documents\' fieldset');
    checkEqual(await section.locator('legend', { hasText: 'Utfall för alla dokument' }).count(), 1, 'the outcome\'s fieldset');

    // Ticked, no date: the error summary, the message at the date, the choices kept.
    await section.locator(`#beslut-dokument-${kept}`).check();
    await section.locator(`#beslut-dokument-${revised}`).check();
    await section.locator(`#beslut-dokument-${revised}-utfall`).selectOption('revideras');
    await section.locator('#falt-decided_by').selectOption('kf');
    await section.locator('#falt-paragraph').fill('§ 152');
    await section.locator('#falt-dnr').fill('KS 2026/00402');
    await section.locator('#falt-outcome').check();
    const refused = await post(page, section.getByRole('button', { name: 'Registrera beslutet' }), '.felsammanfattning');
    checkEqual(refused.status(), 400, 'HTTP status of the form without a date');
    const summary = await page.locator('.felsammanfattning').innerText();
    check(summary.includes('Beslutsdatum'), `the error summary does not name the date: ${summary}`);
    checkEqual(await page.locator('#falt-decided_on').getAttribute('aria-invalid'), 'true', 'aria-invalid at the date');
    check(await page.locator(`#beslut-dokument-${kept}`).isChecked(), `${kept} is no longer ticked`);
    checkEqual(await page.locator(`#beslut-dokument-${revised}-utfall`).inputValue(), 'revideras', 'the outcome chosen for one document');
    checkEqual(await page.locator('#falt-paragraph').inputValue(), '§ 152', 'the § as typed');
    await auditHere(page, 'granskning-beslut-fel');

    await page.locator('#falt-decided_on').fill('2026-11-20');
    await submit(page, page.locator('#gemensamt-beslut').getByRole('button', { name: 'Registrera beslutet' }),
      (url) => url.pathname === '/granskning' && url.searchParams.has('registrerat'));
    const receipt = await page.locator('#registrerat').innerText();
    check(receipt.includes('2 dokument') && receipt.includes('§ 152') && /revideras/.test(receipt),
      `the receipt does not show the decision: ${receipt.replace(/\s+/g, ' ')}`);
    checkEqual(await page.locator(`#beslut-dokument-${kept}`).count(), 0, `${kept} still offered after its review`);
    await auditHere(page, 'granskning-beslut-klart');

    // Each document's page shows the one decision and links the other.
    await gotoOk(page, `/documents/${kept}`);
    const history = await page.locator('#aktualitetsprovning').innerText();
    check(history.includes('Ett beslut för 2 dokument'), `the document page does not show the shared decision: ${history.replace(/\s+/g, ' ')}`);
    checkEqual(await page.locator(`#aktualitetsprovning a[href="/documents/${revised}"]`).count(), 1, 'the link to the other document');
    await auditHere(page, 'dokument-gemensamt-beslut');
  });

  flow('importera: upload, progress, proposals beside the first page, accept (axe)', (page) =>
    importFlow(page, { clerk: accounts.clerk, auditHere, gotoOk, submit, screenshot }));

  return flows;
}

async function gotoOk(page, url, status = 200) {
  const response = await page.goto(url);
  check(response, `no response for ${url}`);
  checkEqual(response.status(), status, `HTTP status of ${url}`);
}

// Clicks (a link or a submit button) and waits for the page whose URL satisfies `accept`.
async function submit(page, locator, accept) {
  try {
    await Promise.all([page.waitForURL((url) => accept(url), { waitUntil: 'load', timeout: 10000 }), locator.click()]);
  } catch (error) {
    if (!/waitForURL/.test(error.message)) throw error;
    throw new AssertionError(`after clicking ${locator}, the browser is at ${page.url()}, not at the page expected: ${accept}`);
  }
}

// Clicks a submit button of a form that comes back on the same address (errors, a preview) and
// waits for the page that shows `selector`; returns the response to the POST.
async function post(page, locator, selector) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
    locator.click(),
  ]);
  await page.locator(selector).first().waitFor();
  await page.waitForLoadState('load');
  return response;
}

// The number of hits the page announces ("8 träffar", "1 träff", "Inga träffar").
async function hitTotal(page) {
  const text = (await page.locator('#antal-traffar').innerText()).replace(/[\s\u00a0]+/g, ' ');
  if (/^Inga träffar/.test(text)) return 0;
  const match = /^(\d[\d ]*) träff/.exec(text);
  check(match, `cannot read the number of hits from "${text}"`);
  return Number.parseInt(match[1].replace(/ /g, ''), 10);
}

// The text of the first <dd> under the <dt> named `label` in the metadata block.
async function metadataValue(page, label) {
  const term = page.locator('.uppgifter dt').filter({ hasText: new RegExp(`^${label}$`) });
  checkEqual(await term.count(), 1, `"${label}" in the metadata block`);
  return (await term.locator('xpath=following-sibling::dd[1]').innerText()).trim();
}
