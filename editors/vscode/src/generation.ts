// Reading the answers of carbonlsp.generate / carbonlsp.generateAll. Pure, unit-tested.
//   { images: [{ prompt, uri, path, seed, reused, energyWh, co2eGrams, ... }] }

export interface GeneratedImage {
  /** A file path when the server gives one, else a file URI. */
  file: string;
  caption: string;
}

const imageFile = /\.(png|jpe?g|webp|gif|bmp)$/i;

/** "hero: 0.27 Wh · 0.10 g CO2e", with "(reused…)" when no new energy was spent. */
export function footprintCaption(v: { co2eGrams?: number; energyWh?: number; prompt?: string; id?: string; reused?: boolean }, fallback = ''): string {
  const name = v.prompt ?? v.id;
  const parts: string[] = [];
  if (typeof v.energyWh === 'number') parts.push(`${v.energyWh.toFixed(2)} Wh`);
  if (typeof v.co2eGrams === 'number') parts.push(`${v.co2eGrams.toFixed(2)} g CO2e`);
  const text = parts.join(' · ') || fallback;
  return `${name ? `${name}: ` : ''}${text}${v.reused ? ' (reused, no new energy)' : ''}`;
}

/** The images a generation answer names, each once, with its footprint. Tolerates older shapes (`output`, `outputs`). */
export function imagesOf(result: unknown): GeneratedImage[] {
  const found: GeneratedImage[] = [];
  const add = (file: unknown, caption: string) => {
    if (typeof file === 'string' && imageFile.test(file) && !found.some((f) => f.file === file)) found.push({ file, caption });
  };
  const visit = (v: any) => {
    if (!v) return;
    if (typeof v === 'string') return add(v, v);
    if (Array.isArray(v)) return v.forEach(visit);
    if (typeof v !== 'object') return;
    const file = [v.path, v.output, v.uri].find((x) => typeof x === 'string' && imageFile.test(x));
    if (file) add(file, footprintCaption(v, file));
    for (const key of ['images', 'outputs', 'results']) visit(v[key]);
  };
  visit(result);
  return found;
}
