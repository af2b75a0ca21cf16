// The charts' PNG encoder (platforms/charts/png.ts): what it writes decodes to the pixels
// Skia's own encoder writes, for an opaque chart-like picture and for translucent pixels.
import { createCanvas, loadImage, type Canvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../src/platforms/charts/png.ts';

async function pixels(png: Buffer): Promise<Uint8ClampedArray> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return ctx.getImageData(0, 0, image.width, image.height).data;
}

function picture(opaque: boolean): Canvas {
  const canvas = createCanvas(320, 180);
  const ctx = canvas.getContext('2d');
  if (opaque) {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, 320, 180);
  }
  ctx.fillStyle = '#4e79a7';
  ctx.fillRect(20, 20, 200, 40);
  ctx.fillStyle = 'rgba(225, 87, 89, 0.5)';
  ctx.fillRect(100, 40, 150, 100);
  ctx.strokeStyle = '#59a14f';
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.moveTo(0, 170);
  ctx.lineTo(310, 90);
  ctx.stroke();
  return canvas;
}

describe('chart PNGs', () => {
  it('decode to the pixels of Skia’s own PNG: signature, size, every pixel', async () => {
    const canvas = picture(true);
    const png = encodePng(canvas.data(), 320, 180);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([320, 180]);
    expect(await pixels(png)).toEqual(await pixels(canvas.toBuffer('image/png')));
  });

  it('writes translucent pixels with straight alpha, as Skia does (within rounding)', async () => {
    const canvas = picture(false);
    const ours = await pixels(encodePng(canvas.data(), 320, 180));
    const skia = await pixels(canvas.toBuffer('image/png'));
    let translucent = 0;
    let apart = 0;
    for (let i = 0; i < ours.length; i++) {
      if (Math.abs(ours[i]! - skia[i]!) > 1) apart++;
      if (i % 4 === 3 && ours[i]! > 0 && ours[i]! < 255) translucent++;
    }
    expect(apart).toBe(0);
    expect(translucent).toBeGreaterThan(1000);
  });

  it('refuses pixels that are not width × height × 4 bytes', () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2)).toThrow(/10 bytes for 2×2/);
  });
});
