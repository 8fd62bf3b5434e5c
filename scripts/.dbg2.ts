import { readFileSync } from 'node:fs';
import { VirtualWorld } from '../packages/adapters/src/virtualWorld.js';
import { runSchedule } from '../packages/adapters/src/schedule.js';
import { step } from '../packages/core/src/connector/step.js';
const s = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
const proto = VirtualWorld.prototype as any;
const orig = proto.feed;
proto.feed = function (input: any) {
  const before = JSON.stringify({ r: this.connector.repairs, j: Object.values(this.connector.jobs).map((j: any) => [j.id, j.kind, j.running, j.saga?.value]) });
  const outLen = this.commands?.length;
  orig.call(this, input);
  const after = JSON.stringify({ r: this.connector.repairs, j: Object.values(this.connector.jobs).map((j: any) => [j.id, j.kind, j.running, j.saga?.value]) });
  if (this.now > 23000 && (before !== after || (input.kind === 'timer.fired'))) console.log(this.now, JSON.stringify(input).slice(0, 160), '\n   ', after.slice(0, 300));
};
const run = runSchedule(s);
console.log(run.violations.map((v) => v.invariant));
