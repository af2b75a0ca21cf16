// PNG files from a canvas's RGBA pixels, with node's zlib: Skia's own encoder tries every
// row filter and takes 17-25 ms for a 1000×450 chart (more than drawing it); rows stored
// unfiltered and deflated at level 3 take about 2 ms, for files a few kB larger (charts are
// flat colours, which deflate well as they are). Pure bytes in, bytes out.
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOR_RGBA = 6;
const FILTER_NONE = 0;
export const PNG_DEFLATE_LEVEL = 3;

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/**
 * A PNG of `width`×`height` 8-bit RGBA pixels, row after row, premultiplied as Skia stores
 * them (`canvas.data()`). A chart's background is opaque, where premultiplied and straight
 * are the same bytes; a pixel that is not is divided back, as PNG wants straight alpha.
 */
export function encodePng(premultiplied: Uint8Array, width: number, height: number): Buffer {
  const row = width * 4;
  if (premultiplied.length !== row * height) throw new Error(`encodePng: ${premultiplied.length} bytes for ${width}×${height} RGBA`);
  const rows = Buffer.alloc((row + 1) * height);
  for (let y = 0; y < height; y++) {
    const at = y * (row + 1);
    rows[at] = FILTER_NONE;
    rows.set(premultiplied.subarray(y * row, (y + 1) * row), at + 1);
    for (let p = at + 1; p < at + 1 + row; p += 4) {
      const a = rows[p + 3]!;
      if (a === 255) continue;
      for (let c = p; c < p + 3; c++) rows[c] = a === 0 ? 0 : Math.min(255, Math.round((rows[c]! * 255) / a));
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = COLOR_RGBA; // compression, filter method and interlace stay 0
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: PNG_DEFLATE_LEVEL })), chunk('IEND', Buffer.alloc(0))]);
}
