// Text of the status bar item and the summary message. Pure, so it can be unit-tested.

/** The fields of carbonlsp/summary's `file` and `workspace` objects that we show. */
export interface FootprintTotals {
  uri?: string;
  files?: number;
  prompts: number;
  images: number;
  energyWh: number;
  co2eGrams: number;
  co2eGramsLow?: number;
  co2eGramsHigh?: number;
  budgetGrams?: number | null;
  budgetExceeded?: boolean;
}

/** This month's savings in the workspace's ledgers: applied fixes' estimates and reuses of identical images. */
export interface SavedTotals {
  energyWh: number;
  co2eGrams: number;
  fixes: number;
  reuses: number;
}

export interface Summary {
  file: FootprintTotals | null;
  workspace: FootprintTotals | null;
  savedThisMonth?: SavedTotals | null;
}

/** "Saved this month: 1.2 Wh, 0.45 g CO2e (3 fixes, 2 reuses)": the same sentence as `carbonlsp ledger` and the report. */
export function savedLine(s: SavedTotals): string {
  const fixes = s.fixes === 1 ? '1 fix' : `${s.fixes} fixes`;
  return `Saved this month: ${formatEnergy(s.energyWh)}, ${formatGrams(s.co2eGrams)} CO2e (${fixes}, ${plural(s.reuses, 'reuse')})`;
}

/** Grams of CO2e: "0.042 g", "0.42 g", "4.2 g", "42 g", "1.23 kg". */
export function formatGrams(g: number): string {
  if (!Number.isFinite(g)) return '? g';
  const a = Math.abs(g);
  if (a >= 1000) return `${(g / 1000).toFixed(2)} kg`;
  if (a >= 10) return `${g.toFixed(0)} g`;
  if (a >= 1) return `${g.toFixed(1)} g`;
  if (a >= 0.1 || a === 0) return `${g.toFixed(2)} g`;
  return `${g.toFixed(3)} g`;
}

/** Energy: "0.27 Wh", "12 Wh", "1.50 kWh". */
export function formatEnergy(wh: number): string {
  if (!Number.isFinite(wh)) return '? Wh';
  const a = Math.abs(wh);
  if (a >= 1000) return `${(wh / 1000).toFixed(2)} kWh`;
  if (a >= 10) return `${wh.toFixed(0)} Wh`;
  return `${wh.toFixed(2)} Wh`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface StatusView {
  /** Status bar text, with a codicon. Empty when there is nothing to show. */
  text: string;
  tooltip: string;
  /** True when the file's budget is exceeded: the item gets the warning background. */
  warning: boolean;
}

/** Status bar: the current file's CO2e, then the workspace's; "ws" alone when no prompt file is active. */
export function statusView(s: Summary | null | undefined): StatusView {
  if (!s || (!s.file && !s.workspace)) return { text: '', tooltip: '', warning: false };
  const lines: string[] = [];
  let text: string;
  const ws = s.workspace;
  if (s.file) {
    const f = s.file;
    text = `$(pulse) ${formatGrams(f.co2eGrams)} CO2e`;
    if (ws && (ws.files ?? 0) > 1) text += ` · ws ${formatGrams(ws.co2eGrams)}`;
    lines.push(`This file: ${formatGrams(f.co2eGrams)} CO2e, ${formatEnergy(f.energyWh)} (${plural(f.prompts, 'prompt')}, ${plural(f.images, 'image')})`);
    if (f.co2eGramsLow !== undefined && f.co2eGramsHigh !== undefined) {
      lines.push(`Range: ${formatGrams(f.co2eGramsLow)} to ${formatGrams(f.co2eGramsHigh)}`);
    }
    if (typeof f.budgetGrams === 'number') {
      lines.push(f.budgetExceeded ? `Over budget: ${formatGrams(f.co2eGrams)} of ${formatGrams(f.budgetGrams)}` : `Budget: ${formatGrams(f.budgetGrams)}`);
    }
  } else {
    text = `$(pulse) ws ${formatGrams(ws!.co2eGrams)} CO2e`;
  }
  if (ws) {
    lines.push(`Workspace: ${formatGrams(ws.co2eGrams)} CO2e, ${formatEnergy(ws.energyWh)} (${plural(ws.files ?? 0, 'file')}, ${plural(ws.prompts, 'prompt')}, ${plural(ws.images, 'image')})`);
  }
  const saved = s.savedThisMonth;
  if (saved && (saved.fixes > 0 || saved.reuses > 0)) {
    text += ` · saved ${formatGrams(saved.co2eGrams)}`;
    lines.push(savedLine(saved));
  }
  lines.push('Click for the footprint summary');
  return { text, tooltip: lines.join('\n'), warning: !!s.file?.budgetExceeded };
}

/** One-paragraph summary for the "Show footprint summary" command. */
export function summaryMessage(s: Summary | null | undefined): string {
  if (!s || (!s.file && !s.workspace)) return 'CarbonLsp: no prompt files open.';
  return statusView(s)
    .tooltip.split('\n')
    .filter((l) => !l.startsWith('Click'))
    .join(' · ');
}

/** True when an error from workspace/executeCommand means the server does not know the command. */
export function isUnknownCommand(error: unknown): boolean {
  const message = error instanceof Error ? error.message : typeof error === 'object' && error && 'message' in error ? String((error as { message: unknown }).message) : String(error);
  return /unknown command/i.test(message);
}
