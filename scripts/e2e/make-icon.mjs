// Draws images/icon.png (128×128): a lens over a GPU-memory bar chart whose last bar crosses the
// budget line, i.e. "see the OOM before the run". Shapes are signed-distance functions, 4×4
// supersampled for anti-aliasing, and the PNG is written with node's zlib (no image library).
// Usage: node scripts/e2e/make-icon.mjs [out.png]
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const SIZE = 128;
const SS = 4; // subsamples per axis

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const COLORS = {
  bgTop: hex('#2c3e73'),
  bgBottom: hex('#161f3d'),
  glass: hex('#0e1630'),
  ring: hex('#e8eef8'),
  ok: hex('#34d3b9'),
  over: hex('#f8716f'),
  budget: hex('#fbbf24'),
};

const roundedRect = (x, y, x0, y0, x1, y1, r) => {
  const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
  const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
  return Math.hypot(dx, dy) <= r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
};
const inCircle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) <= r;
const nearSegment = (x, y, ax, ay, bx, by, halfWidth) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= halfWidth;
};

const LENS = { cx: 54, cy: 54, outer: 37, inner: 29 };
const BASE_Y = 74;
const BUDGET_Y = 46;
const BARS = [
  { x: 35, h: 13, color: COLORS.ok },
  { x: 49, h: 21, color: COLORS.ok },
  { x: 63, h: 36, color: COLORS.over },
];
const BAR_W = 10;

/** The colour of one subsample point, or undefined outside the icon. */
function sample(x, y) {
  if (!roundedRect(x, y, 0, 0, SIZE, SIZE, 26)) return undefined;
  const t = y / SIZE;
  let c = COLORS.bgTop.map((v, i) => v + (COLORS.bgBottom[i] - v) * t);
  if (nearSegment(x, y, 82, 82, 106, 106, 7.5)) c = COLORS.ring;
  if (inCircle(x, y, LENS.cx, LENS.cy, LENS.outer)) c = COLORS.ring;
  if (inCircle(x, y, LENS.cx, LENS.cy, LENS.inner)) {
    c = COLORS.glass;
    for (const b of BARS) {
      if (x >= b.x && x <= b.x + BAR_W && y <= BASE_Y && y >= BASE_Y - b.h) c = b.color;
    }
    // dashed budget line (gpu_memory_utilization × VRAM)
    if (Math.abs(y - BUDGET_Y) <= 1.3 && Math.floor((x - 26) / 5) % 2 === 0) c = COLORS.budget;
  }
  return c;
}

function render() {
  const rgba = Buffer.alloc(SIZE * SIZE * 4);
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      const acc = [0, 0, 0];
      let hits = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const c = sample(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
          if (!c) continue;
          hits++;
          for (let i = 0; i < 3; i++) acc[i] += c[i];
        }
      }
      const o = (py * SIZE + px) * 4;
      if (hits) for (let i = 0; i < 3; i++) rgba[o + i] = Math.round(acc[i] / hits);
      rgba[o + 3] = Math.round((255 * hits) / (SS * SS));
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
export function encodePng(rgba, width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter method, no interlace
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4); // filter byte 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? path.join(here, '..', '..', 'images', 'icon.png');
fs.writeFileSync(out, encodePng(render(), SIZE, SIZE));
console.log(`wrote ${out}`);
