// What `npm run dev` sets up per provider: one file per provider in this folder, each
// exporting { name, credentials(sandbox, sandboxLib), prepareWorkflow?(workflow, sandboxLib, sandbox),
// describeRequest?(request), tryIt?(ctx) }.
'use strict';
const fs = require('fs');
const path = require('path');

module.exports = fs
	.readdirSync(__dirname)
	.filter((file) => file.endsWith('.js') && file !== 'index.js')
	.sort()
	.map((file) => require(path.join(__dirname, file)));
