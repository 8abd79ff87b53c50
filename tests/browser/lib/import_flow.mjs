// The clerk's page "Importera dokument" (templates/importera*.mustache): upload three originals,
// follow the progress, see each proposal beside its first page with the uncertain fields marked,
// correct and accept one, a refused accept, and accept all sure ones; axe on every state.
import { check, checkEqual } from './harness.mjs';

// Every field of this one is read from a label or a decision line: a sure proposal.
const SURE_TEXT = [
  'Riktlinjer för webbläsarprovet',
  '',
  'Dokumenttyp: Riktlinje',
  'Fastställd av kommunfullmäktige 2021-06-23 § 139',
  'Dnr KS 2021/0151',
  'Dokumentansvarig: Kanslichef',
  'Giltighetstid 2021-07-01 – tillsvidare',
  '',
  'Riktlinjerna gäller för alla förvaltningar.',
].join('\n');

const VAGUE_TEXT = 'Anteckningar från webbläsarprovet\n\nUtan beslut och utan diarienummer.\n';

// A one-page PDF with `lines` in Helvetica (WinAnsi, so å, ä and ö are single bytes).
export function pdfOf(lines) {
  const escape = (line) => line.replace(/[\\()]/g, (c) => `\\${c}`);
  const content = `BT /F1 14 Tf 72 760 Td 20 TL ${lines.map((l) => `(${escape(l)}) '`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

export async function importFlow(page, { clerk, auditHere, gotoOk, submit, screenshot }) {
  await gotoOk(page, '/logga-in?next=%2Fimportera');
  await page.getByLabel('Användarnamn').fill(clerk.name);
  await page.getByLabel('Lösenord').fill(clerk.password);
  await submit(page, page.locator('main form button[type=submit]'), (url) => url.pathname === '/importera');
  checkEqual(await page.locator('.huvudmeny a[href="/importera"][aria-current="page"]').count(), 1, 'the header\'s current "Importera dokument" link');
  await auditHere(page, 'importera');

  // More than one request may hold: the script says so in words and nothing is sent.
  const input = page.getByLabel(/Filer att läsa in/);
  await input.setInputFiles([{ name: 'stor.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(11 << 20, 32) }]);
  const choice = page.locator('#falt-filer-urval');
  check((await choice.innerText()).startsWith('Fel: De valda filerna är sammanlagt 11 MB'), `no warning of the size: ${await choice.innerText()}`);
  checkEqual(await input.getAttribute('aria-invalid'), 'true', 'aria-invalid at the files');
  let sent = false;
  page.on('request', (r) => { if (r.method() === 'POST') sent = true; });
  await page.getByRole('button', { name: 'Läs in filerna' }).click();
  await page.waitForTimeout(300);
  check(!sent, 'a choice the server would refuse was sent');
  await auditHere(page, 'importera-for-stor');

  await input.setInputFiles([
    { name: 'webbprov.txt', mimeType: 'text/plain', buffer: Buffer.from(SURE_TEXT) },
    { name: 'anteckningar.md', mimeType: 'text/markdown', buffer: Buffer.from(VAGUE_TEXT) },
    { name: 'reglemente.pdf', mimeType: 'application/pdf', buffer: pdfOf([
      'Reglemente för webbläsarprovsnämnden',
      'Antaget av kommunfullmäktige den 15 december 2022, § 201',
      'Nämnden ansvarar för provet i webbläsaren.',
    ]) },
  ]);
  checkEqual(await choice.innerText(), '3 filer valda, sammanlagt 1 MB.', 'the choice as the script tells it');
  await submit(page, page.getByRole('button', { name: 'Läs in filerna' }), (url) => /^\/importera\/[0-9a-f]{32}$/.test(url.pathname));
  const batch = new URL(page.url()).pathname;

  // Progress: a <progress> of the three files with its text; the script loads the page again
  // when all are read (the plain link does the same without it).
  const progress = page.locator('progress#inlasning-forlopp');
  checkEqual(await progress.getAttribute('max'), '3', 'the progress bar\'s max');
  check(/^Läst \d av 3 filer$/.test((await page.locator('#inlasning-text').innerText()).trim()), 'the progress text');
  await page.locator('#inlasning-text', { hasText: 'Läst 3 av 3 filer' }).waitFor({ timeout: 60000 });
  await page.locator('#forslag-3 form.forslag-formular').waitFor();

  // The PDF's proposal beside its first page, drawn by the server.
  const image = page.locator('#forslag-3 img');
  checkEqual(await image.getAttribute('src'), `${batch}/3/forsta-sidan.png`, 'the first page\'s address');
  check((await image.getAttribute('alt')).startsWith('Första sidan av reglemente.pdf'), 'the picture\'s alt text');
  await image.scrollIntoViewIfNeeded();
  await image.evaluate((img) => img.decode());
  check(await image.evaluate((img) => img.naturalWidth > 100 && img.naturalWidth <= 1200), 'the first page is not drawn');
  const picture = await image.boundingBox();
  const fields = await page.locator('#forslag-3 form.forslag-formular').boundingBox();
  check(picture.x + picture.width <= fields.x && picture.y < fields.y + fields.height,
    `the picture is not beside the fields: ${JSON.stringify({ picture, fields })}`);

  // Uncertain fields: a mark in the label and "Osäker: …" the input is described by.
  const vague = page.locator('#forslag-2');
  check(await vague.locator('.falt--osaker').count() > 0, 'no field of the vague proposal is marked');
  const dnr = vague.locator('#forslag-2-dnr');
  check((await dnr.getAttribute('aria-describedby')).split(' ').includes('forslag-2-dnr-osaker'), 'the uncertain dnr is not described by its mark');
  check((await page.locator('#forslag-2-dnr-osaker').innerText()).startsWith('Osäker:'), 'the mark does not say "Osäker"');
  check((await vague.locator('label[for="forslag-2-dnr"]').innerText()).includes('(osäker)'), 'the label does not say "(osäker)"');
  checkEqual(await page.locator('#forslag-1 .falt--osaker').count(), 0, 'marks on the sure proposal');
  await auditHere(page, 'importera-forslag');

  // The PDF's proposal with its title emptied: the form's own errors, at the proposal.
  await page.locator('#forslag-3-title').fill('');
  const [refused] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
    page.locator('#forslag-3').getByRole('button', { name: /^Godkänn/ }).click(),
  ]);
  await page.locator('#forslag-3 .felsammanfattning').waitFor();
  checkEqual(refused.status(), 400, 'HTTP status of an accept without a title');
  checkEqual(await page.locator('#forslag-3-title').getAttribute('aria-invalid'), 'true', 'aria-invalid at the title');
  await auditHere(page, 'importera-fel');

  // The vague one, corrected, as a draft.
  await page.locator('#forslag-2-title').fill('Rutin för webbläsarprovet');
  await page.locator('#forslag-2-doctype').selectOption('rutin');
  await page.locator('#forslag-2-utkast').check();
  await submit(page, page.locator('#forslag-2').getByRole('button', { name: /^Godkänn/ }), (url) => url.searchParams.get('godkand') === '2');
  const receipt = await page.locator('#resultat').innerText();
  check(receipt.includes('anteckningar.md är godkänd som utkast'), `no receipt: ${receipt}`);
  await auditHere(page, 'importera-godkand');

  // All sure ones: the text file, in force.
  await submit(page, page.getByRole('button', { name: /^Godkänn alla säkra/ }), (url) => url.pathname === `${batch}/godkann-alla`);
  check((await page.locator('#resultat').innerText()).includes('1 förslag godkändes.'), 'the receipt of all sure ones');
  await auditHere(page, 'importera-alla-sakra');
  await page.setViewportSize({ width: 375, height: 800 });
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(sideways <= 0, `the import page scrolls sideways by ${sideways} px at 375 px`);
  await screenshot(page, 'mobil-importera');
  await gotoOk(page, '/documents/riktlinjer-for-webblasarprovet');
  check((await page.locator('h1').innerText()).includes('Riktlinjer för webbläsarprovet'), 'the accepted document\'s page');
}
