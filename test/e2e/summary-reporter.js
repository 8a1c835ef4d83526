// Closing line of the e2e run: "e2e: N passed, N failed, N skipped" (and the n8n version).
class E2eSummaryReporter {
	constructor(_globalConfig, options = {}) {
		this.label = options.label || 'e2e';
	}

	onRunComplete(_contexts, results) {
		const version = process.env.E2E_N8N_VERSION ? ` (n8n ${process.env.E2E_N8N_VERSION})` : '';
		if (results.numFailedTestSuites > 0 || results.numRuntimeErrorTestSuites > 0) {
			process.stdout.write(`\nE2E FAILED${version}\n`);
		} else if (results.numTotalTests > 0) {
			process.stdout.write(`\nE2E PASSED${version}\n`);
		}
		const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`;
		process.stdout.write(`${this.label}: ${line}\n`);
	}
}
module.exports = E2eSummaryReporter;
