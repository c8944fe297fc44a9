import { PNG } from 'pngjs';

const WIDTH = 300;
const HEIGHT = 100;
/** The ink of a ballpoint pen, as the signing page's pad draws it. */
const INK = [20, 30, 90] as const;

/**
 * A drawn signature for a demo signing, as the signing page sends it (a PNG data URL of a transparent pad with one
 * stroke): a loop-and-wave scribble whose shape `random` decides, so that every demo signer's differs and a fresh
 * demo draws the same ones again.
 */
export function demoSignatureDataUrl(random: () => number): string {
  const png = new PNG({ width: WIDTH, height: HEIGHT });
  png.data.fill(0);
  const waves = [1, 2, 3].map(() => ({
    amplitude: 6 + random() * 16,
    period: 8 + random() * 22,
    phase: random() * Math.PI * 2,
  }));
  const start = 15 + Math.floor(random() * 20);
  const end = WIDTH - 15 - Math.floor(random() * 60);
  const slope = (random() - 0.5) * 0.2;
  const ink = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= WIDTH || y >= HEIGHT) return;
    const i = (y * WIDTH + x) * 4;
    png.data[i] = INK[0];
    png.data[i + 1] = INK[1];
    png.data[i + 2] = INK[2];
    png.data[i + 3] = 255;
  };
  let last: { x: number; y: number } | null = null;
  for (let x = start; x <= end; x += 1) {
    const y = Math.round(
      HEIGHT / 2 +
        slope * (x - start) +
        waves.reduce((sum, w) => sum + w.amplitude * Math.sin(x / w.period + w.phase), 0) / 2,
    );
    // A continuous stroke two pixels wide: fill the gap from the last point down or up to this one.
    const from = last ? Math.min(last.y, y) : y;
    const to = last ? Math.max(last.y, y) : y;
    for (let yy = from; yy <= to; yy += 1) {
      ink(x, yy);
      ink(x, yy + 1);
    }
    last = { x, y };
  }
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}
