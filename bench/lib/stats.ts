/** Small statistics helpers shared by the bench pieces. */
export function quantile(values: number[], q: number): number {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
	return sorted[index];
}
export const median = (values: number[]) => quantile(values, 0.5);
export const p99 = (values: number[]) => quantile(values, 0.99);
export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** Writes the piece's result as JSON where bench/run.js asks for it (BENCH_OUT), else stdout. */
export function emit(result: unknown): void {
	const text = JSON.stringify(result, null, 2);
	const out = process.env.BENCH_OUT;
	if (out) require('fs').writeFileSync(out, text);
	else process.stdout.write(`${text}\n`);
}
export const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
