/**
 * Draws the app icon, build/icon.png (512×512 RGBA): a blue rounded square with a white shield and a check
 * mark. Pure Node (zlib), so it runs anywhere; electron-builder derives the .ico/.icns from it.
 *
 * Usage: tsx tools/make-icon.ts [out.png]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const SIZE = 512;
const SAMPLES = 4;
type Rgba = [number, number, number, number];

function roundedSquare(x: number, y: number): number {
  const r = 100;
  const qx = Math.abs(x - 256) - (256 - 16 - r);
  const qy = Math.abs(y - 256) - (256 - 16 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Inside the shield: a rectangle-ish top that narrows to a point at the bottom. */
function inShield(x: number, y: number): boolean {
  if (y < 110 || y > 420) return false;
  const half = y < 260 ? 140 - Math.max(0, 130 - y) * 0.3 : 140 * Math.sqrt(Math.max(0, (420 - y) / 160));
  return Math.abs(x - 256) <= half;
}

function distanceToSegment(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const t = Math.max(
    0,
    Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
  );
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

function inCheck(x: number, y: number): boolean {
  return (
    Math.min(distanceToSegment(x, y, 190, 262, 240, 312), distanceToSegment(x, y, 240, 312, 330, 212)) <= 22
  );
}

function shade(x: number, y: number): Rgba {
  if (roundedSquare(x, y) > 0) return [0, 0, 0, 0];
  if (inShield(x, y)) return inCheck(x, y) ? [31, 94, 170, 255] : [255, 255, 255, 255];
  const t = y / SIZE;
  return [Math.round(36 + 10 * t), Math.round(112 - 30 * t), Math.round(196 - 40 * t), 255];
}

export function drawIcon(): Buffer {
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
  for (let y = 0; y < SIZE; y++) {
    raw[y * (SIZE * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < SIZE; x++) {
      const sum: Rgba = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const [r, g, b, a] = shade(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
          sum[0] += r * a;
          sum[1] += g * a;
          sum[2] += b * a;
          sum[3] += a;
        }
      }
      const offset = y * (SIZE * 4 + 1) + 1 + x * 4;
      const alpha = sum[3] / SAMPLES ** 2;
      raw[offset] = sum[3] ? Math.round(sum[0] / sum[3]) : 0;
      raw[offset + 1] = sum[3] ? Math.round(sum[1] / sum[3]) : 0;
      raw[offset + 2] = sum[3] ? Math.round(sum[2] / sum[3]) : 0;
      raw[offset + 3] = Math.round(alpha);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.resolve(
    process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'build', 'icon.png'),
  );
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, drawIcon());
  console.log(`make-icon: ${out}`);
}
