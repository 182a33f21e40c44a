#!/usr/bin/env node
/**
 * The CDK app entry. cdk.json bundles this file with esbuild into build/cdk-app.cjs and runs it.
 * Context keys (`kept:*`) are listed in docs/deploy.md. cdk-nag runs on every synth; `-c nag=false`
 * skips it for a quick look at a template while a new finding is being worked on.
 */
import { buildApp } from '../lib/app';

buildApp().app.synth();
