/**
 * `pnpm csta -- <request>` — a tiny CSTA client for the gateway: sends one request, prints the
 * XML it sends (`>>`) and everything it receives (`<<`), and exits 0 on a positive answer, 1 on
 * a CSTAErrorCode or no answer. `watch` keeps a monitor open and prints events until Ctrl-C.
 */
import { CstaTcpClient, type ReceivedFrame } from '@csta-bw/adapters';
import type { CstaRequest } from '@csta-bw/core';
import { parseFlags, printHelp, usageFailure, type Fail } from './flags.js';

const USAGE = `Usage: pnpm csta -- [--host H] [--port N] <request>

Requests:
  monitor D                 MonitorStart on device D (e.g. desk-101), print the answer
  watch D                   MonitorStart on D, then print events until Ctrl-C
  login D A                 SetAgentState loggedOn: log agent A (e.g. agent-001) in at desk D
  logout D [A]              SetAgentState loggedOff (A defaults to the agent at the desk)
  ready D | not-ready D     SetAgentState ready / notReady for the agent at D
  forward D N               SetForwarding: forward D immediately to N
  unforward D               SetForwarding: switch D's forwarding off
  get-state D               GetAgentState
  get-forwarding D          GetForwarding
  status                    RequestSystemStatus

Options:
  --host H     gateway host (default 127.0.0.1)
  --port N     gateway CSTA port (default 1040)
  --timeout S  seconds to wait for the answer (default 15)
  --help       show this text
`;

const fail: Fail = usageFailure('pnpm csta', `\n${USAGE}\n`);

const parsed = parseFlags(fail, {
  host: { type: 'string' },
  port: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean' },
}, true);
if (parsed.values.help) printHelp(`${USAGE}\n`);
const host = parsed.values.host ?? '127.0.0.1';
const port = Number(parsed.values.port ?? '1040');
if (!Number.isInteger(port) || port < 1 || port > 65_535) fail(`--port must be 1–65535, got "${parsed.values.port}"`);
const timeoutS = Number(parsed.values.timeout ?? '15');
if (!(timeoutS > 0)) fail(`--timeout must be a positive number of seconds`);

const [verb, ...rest] = parsed.positionals;
function arg(i: number, name: string): string {
  const value = rest[i];
  if (value === undefined || value === '') fail(`${verb} needs ${name}`);
  return value;
}

function requestFor(): CstaRequest {
  switch (verb) {
    case 'monitor':
    case 'watch':
      return { service: 'MonitorStart', monitorObject: arg(0, 'a device') };
    case 'login':
      return { service: 'SetAgentState', device: arg(0, 'a device'), requestedAgentState: 'loggedOn', agentID: arg(1, 'an agent id') };
    case 'logout':
      return rest[1] === undefined
        ? { service: 'SetAgentState', device: arg(0, 'a device'), requestedAgentState: 'loggedOff' }
        : { service: 'SetAgentState', device: arg(0, 'a device'), requestedAgentState: 'loggedOff', agentID: rest[1] };
    case 'ready':
      return { service: 'SetAgentState', device: arg(0, 'a device'), requestedAgentState: 'ready' };
    case 'not-ready':
      return { service: 'SetAgentState', device: arg(0, 'a device'), requestedAgentState: 'notReady' };
    case 'forward':
      return { service: 'SetForwarding', device: arg(0, 'a device'), forwardingType: 'forwardImmediate', activateForward: true, forwardDN: arg(1, 'a number') };
    case 'unforward':
      return { service: 'SetForwarding', device: arg(0, 'a device'), forwardingType: 'forwardImmediate', activateForward: false };
    case 'get-state':
      return { service: 'GetAgentState', device: arg(0, 'a device') };
    case 'get-forwarding':
      return { service: 'GetForwarding', device: arg(0, 'a device') };
    case 'status':
      return { service: 'RequestSystemStatus' };
    case undefined:
      return fail('no request given');
    default:
      return fail(`unknown request "${verb}"`);
  }
}
const request = requestFor();

let client: CstaTcpClient;
try {
  client = await CstaTcpClient.connect(host, port);
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  console.error(`pnpm csta: cannot connect to ${host}:${port}: ${e.code === 'ECONNREFUSED' ? 'connection refused (is `pnpm start` running?)' : e.message}`);
  process.exit(1);
}

const show = (f: ReceivedFrame) => console.log(`<< [${f.invokeId}] ${f.xml}${f.decoded.ok ? '' : `\n   (undecodable: ${f.decoded.reason})`}`);
client.onFrame = show;
const { invokeId, xml } = client.send(request);
console.log(`>> [${invokeId}] ${xml}`);

let answer: ReceivedFrame;
try {
  answer = await client.answerTo(invokeId, timeoutS * 1000);
} catch {
  console.error(`pnpm csta: no answer within ${timeoutS} s${client.closed ? ' (the gateway closed the link)' : ''}`);
  process.exit(1);
}
const refused = answer.decoded.ok && answer.decoded.kind === 'error';

if (verb === 'watch' && !refused) {
  console.log(`-- watching ${rest[0]}; Ctrl-C to stop`);
  process.on('SIGINT', () => void client.close().then(() => process.exit(0)));
  await client.closedPromise;
  console.error('pnpm csta: the gateway closed the link');
  process.exit(1);
}
await client.close();
process.exit(refused ? 1 : 0);
