import { readFileSync } from 'node:fs';
import { VirtualWorld } from '../packages/adapters/src/virtualWorld.js';
import { runSchedule } from '../packages/adapters/src/schedule.js';
import { step } from '../packages/core/src/connector/step.js';
const s = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
const proto = VirtualWorld.prototype as any;
const orig = proto.feed;
proto.feed = function (input: any) {
  if (input.kind === 'xsp.channel' && this.now > 30000) {
    const c = structuredClone(this.connector);
    console.log('repairs', JSON.stringify(c.repairs, null, 1).slice(0, 3000));
    console.log('desk-103 fwd', JSON.stringify(c.users['desk-103@example.com'].forwarding), 'desk-102 fwd', JSON.stringify(c.users['desk-102@example.com'].forwarding));
    console.log('agent-003 guest', JSON.stringify(c.users['agent-003@example.com'].guest));
    const r = step(c, input, this.now);
    for (const o of r.outputs) if (o.kind !== 'xsp.command' || !String((o as any).command.op).startsWith('GET')) console.log('  out', JSON.stringify(o).slice(0, 250));
  }
  orig.call(this, input);
};
runSchedule(s);
