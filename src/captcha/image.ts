/**
 * Draws the security image: the digits of a challenge as an SVG of stroked paths, never as
 * text (no <text>, no font, no title), each digit turned, slanted and scaled on its own, the
 * whole bent by two waves, with crossing curves of the same ink over it. Reading it takes
 * eyes or an OCR trained for it; copying text out of the file gives nothing.
 *
 * The drawing is a pure function of the digits and a seed. The caller seeds it from the
 * challenge (image-challenge.ts), so fetching one image many times shows the same noise:
 * averaging many fetches cannot wash it out.
 */

/** A glyph in a 10 × 16 box, y down: moves, lines and cubic curves, as in SVG path data. */
type Segment = readonly ['M' | 'L', number, number] | readonly ['C', number, number, number, number, number, number];

// Latin digits on every page: Persian ۰ is a dot that noise hides, and the Persian and
// Arabic forms of 4, 5 and 6 differ, while every reader of the fa, he and en pages reads
// these. The answer is taken in any of the three scripts (docs/decisions.md, Captcha).
const glyphs: Record<string, readonly Segment[]> = {
  0: [['M', 5, 0], ['C', 0.5, 0, 0, 4, 0, 8], ['C', 0, 12, 0.5, 16, 5, 16], ['C', 9.5, 16, 10, 12, 10, 8], ['C', 10, 4, 9.5, 0, 5, 0]],
  1: [['M', 1.5, 3.5], ['L', 6, 0], ['L', 6, 16]],
  2: [['M', 0.5, 3.5], ['C', 1, 0.5, 9, -0.5, 9.5, 3.5], ['C', 10, 7, 2, 11, 0, 16], ['L', 10, 16]],
  3: [['M', 0.5, 2], ['C', 3, -0.5, 9.5, 0, 9.5, 4], ['C', 9.5, 6.5, 7, 7.5, 4, 7.5], ['C', 7.5, 7.5, 10, 9, 10, 12], ['C', 10, 16.5, 2, 16.5, 0, 14]],
  4: [['M', 7, 16], ['L', 7, 0], ['L', 0, 11], ['L', 10, 11]],
  5: [['M', 9.5, 0], ['L', 1.5, 0], ['L', 0.5, 7], ['C', 3, 5.5, 10, 5.5, 10, 11], ['C', 10, 16.5, 2, 16.5, 0, 14]],
  6: [['M', 8.5, 0.5], ['C', 4, 0, 0, 4, 0, 10], ['C', 0, 14, 2, 16, 5, 16], ['C', 8, 16, 10, 14, 10, 11], ['C', 10, 8, 8, 6.5, 5, 6.5], ['C', 2.5, 6.5, 0.5, 8, 0, 10]],
  7: [['M', 0, 0], ['L', 10, 0], ['L', 3.5, 16]],
  8: [['M', 5, 7.5], ['C', 1, 7.5, 0.5, 5.5, 0.5, 3.75], ['C', 0.5, 1.5, 2.5, 0, 5, 0], ['C', 7.5, 0, 9.5, 1.5, 9.5, 3.75], ['C', 9.5, 5.5, 9, 7.5, 5, 7.5],
    ['C', 1, 7.5, 0, 9.5, 0, 12], ['C', 0, 14.5, 2, 16, 5, 16], ['C', 8, 16, 10, 14.5, 10, 12], ['C', 10, 9.5, 9, 7.5, 5, 7.5]],
  9: [['M', 10, 6], ['C', 9.5, 8, 7.5, 9.5, 5, 9.5], ['C', 2, 9.5, 0, 7.5, 0, 5], ['C', 0, 2, 2, 0, 5, 0], ['C', 8, 0, 10, 2, 10, 6], ['C', 10, 12, 6, 16, 1.5, 15.5]],
};

export const IMAGE_WIDTH = 220;
export const IMAGE_HEIGHT = 80;

/** mulberry32: a small, fast PRNG; enough for noise, never used for anything secret. */
function prng(seed: number): (min: number, max: number) => number {
  let a = seed >>> 0;
  return (min, max) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return min + (((t ^ (t >>> 14)) >>> 0) / 4294967296) * (max - min);
  };
}

type Point = (x: number, y: number) => [number, number];
const n = (value: number) => value.toFixed(1);

function pathData(segments: readonly Segment[], place: Point): string {
  return segments.map((segment) => {
    const [command, ...coordinates] = segment;
    const points: string[] = [];
    for (let i = 0; i < coordinates.length; i += 2) points.push(place(coordinates[i]!, coordinates[i + 1]!).map(n).join(' '));
    return `${command}${points.join(' ')}`;
  }).join('');
}

/** The SVG of `digits` (ASCII 0–9), the same for the same seed. */
export function drawDigits(digits: string, seed: number): string {
  const random = prng(seed);
  const ink = () => `hsl(${Math.round(random(0, 360))} ${Math.round(random(45, 80))}% ${Math.round(random(18, 34))}%)`;
  // Two waves bend the whole picture, so no digit keeps a straight stroke.
  const wave = { ax: random(2, 4), fx: random(0.04, 0.08), px: random(0, 6.3), ay: random(3, 6), fy: random(0.03, 0.06), py: random(0, 6.3) };
  const bend: Point = (x, y) => [x + wave.ax * Math.sin(y * wave.fx + wave.px), y + wave.ay * Math.sin(x * wave.fy + wave.py)];

  const step = (IMAGE_WIDTH - 30) / digits.length;
  const strokes = [...digits].map((digit, index) => {
    const glyph = glyphs[digit];
    if (glyph === undefined) throw new RangeError('drawDigits takes ASCII digits only');
    const scale = random(2.6, 3.3);
    const angle = random(-0.35, 0.35);
    const slant = random(-0.25, 0.25);
    const cx = 15 + step * (index + 0.5) + random(-4, 4);
    const cy = IMAGE_HEIGHT / 2 + random(-6, 6);
    const place: Point = (x, y) => {
      const gx = (x - 5 + slant * (8 - y)) * scale;
      const gy = (y - 8) * scale;
      return bend(cx + gx * Math.cos(angle) - gy * Math.sin(angle), cy + gx * Math.sin(angle) + gy * Math.cos(angle));
    };
    return `<path d="${pathData(glyph, place)}" stroke="${ink()}" stroke-width="${n(random(3, 4.2))}"/>`;
  });

  // Curves across the digits in the same inks, a little thinner than the digits' strokes:
  // people still tell them apart, a colour or stroke filter does not.
  const noise = Array.from({ length: 4 }, () => {
    const from = bend(random(0, IMAGE_WIDTH * 0.3), random(10, IMAGE_HEIGHT - 10));
    const to = bend(random(IMAGE_WIDTH * 0.7, IMAGE_WIDTH), random(10, IMAGE_HEIGHT - 10));
    const c1 = [random(0, IMAGE_WIDTH), random(-20, IMAGE_HEIGHT + 20)];
    const c2 = [random(0, IMAGE_WIDTH), random(-20, IMAGE_HEIGHT + 20)];
    return `<path d="M${from.map(n).join(' ')}C${[...c1, ...c2, ...to].map(n).join(' ')}" stroke="${ink()}" stroke-width="${n(random(1.4, 2.6))}"/>`;
  });
  const specks = Array.from({ length: 40 }, () =>
    `<circle cx="${n(random(0, IMAGE_WIDTH))}" cy="${n(random(0, IMAGE_HEIGHT))}" r="${n(random(0.8, 2))}" fill="${ink()}"/>`);

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${IMAGE_WIDTH}" height="${IMAGE_HEIGHT}" viewBox="0 0 ${IMAGE_WIDTH} ${IMAGE_HEIGHT}">`
    + `<rect width="100%" height="100%" fill="hsl(${Math.round(random(30, 60))} 40% 94%)"/>`
    + `<g fill="none" stroke-linecap="round" stroke-linejoin="round">${[...strokes, ...noise].join('')}</g>`
    + specks.join('')
    + '</svg>';
}
