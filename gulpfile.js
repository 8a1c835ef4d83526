// Copies the non-TypeScript assets n8n loads at runtime (SVG icons and codex
// `.node.json` files) next to the compiled JavaScript in dist/.
const path = require('path');
const { task, src, dest } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest(path.resolve('dist')));
}

task('build:assets', copyAssets);
