import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** The text of a PDF (pdfjs-dist, Mozilla's PDF.js), page by page, each page's items joined by spaces. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n += 1) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await doc.destroy();
  return pages.join('\n');
}

/** How many images each page of a PDF paints (pdfjs-dist's operator list: `paintImageXObject`), page by page. */
export async function pdfImageCounts(bytes: Uint8Array): Promise<number[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const counts: number[] = [];
  for (let n = 1; n <= doc.numPages; n += 1) {
    const ops = await (await doc.getPage(n)).getOperatorList();
    counts.push(ops.fnArray.filter((fn) => fn === OPS.paintImageXObject).length);
  }
  await doc.destroy();
  return counts;
}
