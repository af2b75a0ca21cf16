import { JOB_DEFINITIONS } from '../../../src/jobs/registry.ts';
console.log(JOB_DEFINITIONS.length, JOB_DEFINITIONS.map((d) => d.kind).join(' '));
