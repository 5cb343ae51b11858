#!/usr/bin/env node
// The built CLI lives in dist/ (compiled by `npm install`'s prepare step).
import { main } from '../dist/lib/main.js';

process.exitCode = await main(process.argv.slice(2));
