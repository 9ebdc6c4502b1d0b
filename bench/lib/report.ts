// What every benchmark ends with: print its figures, the budget from DESIGN.md with a verdict, the ratio against
// the raw baseline measured in the same run, and write the whole result as JSON to bench/results/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT_DIR = path.resolve(BENCH_DIR, '..');
const RESULTS_DIR = path.join(BENCH_DIR, 'results');

export type Figures = Record<string, number | string | boolean | null>;

export interface BudgetCheck {
  /** The figure being held to the budget, e.g. `ready_ms`. */
  figure: string;
  /** The budget as DESIGN.md states it, e.g. `ready < 1.5 s`. */
  text: string;
  measured: number;
  limit: number;
  /** `max`: measured must stay at or below the limit; `min`: at or above. */
  kind: 'max' | 'min';
}

export interface BenchResult {
  /** File-name-safe name; results go to bench/results/<name>-<timestamp>.json. */
  name: string;
  description: string;
  /** Named scenarios, each with its figures (req/s, percentiles, times…). */
  scenarios: Record<string, Figures>;
  /** The raw baseline measured in the same run, per scenario where it applies. */
  baseline: { description: string; scenarios: Record<string, Figures> };
  /** Product ÷ baseline for comparable figures, e.g. `list_page_1.p50`. */
  ratios: Record<string, number>;
  budgets: BudgetCheck[];
  /**
   * Figures shown beside the budgets that no budget in DESIGN.md covers (e.g. the PostgreSQL runs of benchmarks whose
   * budget names SQLite): printed and stored, never a verdict, never the exit code.
   */
  reportOnly?: ReportOnly[];
  /** Anything else worth keeping (data set size, connections, durations). */
  parameters: Figures;
}

export interface ReportOnly {
  figure: string;
  /** What the figure is and why it has no budget, e.g. `PostgreSQL p99 (DESIGN.md: budget for SQLite only)`. */
  text: string;
  measured: number;
}

export function withinBudget(check: BudgetCheck): boolean {
  return check.kind === 'max' ? check.measured <= check.limit : check.measured >= check.limit;
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT_DIR,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: cpus.length,
    cpu_model: cpus[0]?.model ?? 'unknown',
    memory_mb: Math.round(os.totalmem() / 2 ** 20),
    commit: gitCommit(),
  };
}

function printTable(title: string, scenarios: Record<string, Figures>): void {
  process.stdout.write(`${title}\n`);
  for (const [scenario, figures] of Object.entries(scenarios)) {
    const text = Object.entries(figures)
      .map(([key, value]) => `${key}=${value}`)
      .join('  ');
    process.stdout.write(`  ${scenario.padEnd(24)} ${text}\n`);
  }
}

/**
 * Prints and stores `result`. Returns the exit code the benchmark should end with: 0 within budget, 2 over
 * budget (run.mjs reports it without treating it as a crash).
 */
export function report(result: BenchResult): number {
  const at = new Date();
  printTable(`${result.name}: ${result.description}`, result.scenarios);
  printTable(`baseline: ${result.baseline.description}`, result.baseline.scenarios);
  process.stdout.write('ratio against baseline (product / raw)\n');
  for (const [key, ratio] of Object.entries(result.ratios)) process.stdout.write(`  ${key.padEnd(32)} ${ratio.toFixed(2)}x\n`);
  process.stdout.write('budget (DESIGN.md)\n');
  const verdicts = result.budgets.map((check) => ({ ...check, within: withinBudget(check) }));
  if (!verdicts.length) process.stdout.write('  none for these figures\n');
  for (const v of verdicts) {
    process.stdout.write(`  ${v.within ? 'ok  ' : 'OVER'} ${v.text.padEnd(36)} measured ${v.figure}=${v.measured}\n`);
  }
  if (result.reportOnly?.length) {
    process.stdout.write('report only (no budget in DESIGN.md)\n');
    for (const r of result.reportOnly) process.stdout.write(`  info ${r.text.padEnd(36)} measured ${r.figure}=${r.measured}\n`);
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  const file = path.join(RESULTS_DIR, `${result.name}-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify({ ...result, budgets: verdicts, at: at.toISOString(), machine: machine() }, null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(ROOT_DIR, file)}\n`);
  return verdicts.every((v) => v.within) ? 0 : 2;
}

export function ratio(product: number, baseline: number): number {
  return baseline > 0 ? Math.round((product / baseline) * 100) / 100 : Number.NaN;
}
