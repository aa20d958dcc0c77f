import { deflateSync } from 'node:zlib';

// Real, small images made byte by byte, for tests that serve photos: no image library needed.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (ISO 3309, as PNG chunks carry it). */
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A PNG (W3C PNG, 8-bit truecolour, no interlace) of `width` × `height` pixels, every one `rgb`
 * ([red, green, blue], 0–255).
 */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(pixels)), pngChunk('IEND', Buffer.alloc(0))]);
}

const segment = (marker: number, data: number[]) => [0xff, marker, (data.length + 2) >> 8, (data.length + 2) & 0xff, ...data];

/**
 * A baseline JPEG (ITU T.81, JFIF) of 8 × 8 mid-grey pixels: one greyscale block whose DC and AC
 * coefficients are all zero (DC category 0, then end-of-block), coded with one-symbol Huffman
 * tables, so the entropy-coded data is the bits `00` padded with ones.
 */
export function greyJpeg(): Buffer {
  const jfif = segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const quantisation = segment(0xdb, [0x00, ...Array.from({ length: 64 }, () => 1)]);
  const frame = segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]);
  const oneCodeOfLength1 = [1, ...Array.from({ length: 15 }, () => 0)];
  const dc = segment(0xc4, [0x00, ...oneCodeOfLength1, 0x00]);
  const ac = segment(0xc4, [0x10, ...oneCodeOfLength1, 0x00]);
  const scan = segment(0xda, [1, 1, 0x00, 0, 63, 0]);
  return Buffer.from([0xff, 0xd8, ...jfif, ...quantisation, ...frame, ...dc, ...ac, ...scan, 0x3f, 0xff, 0xd9]);
}
