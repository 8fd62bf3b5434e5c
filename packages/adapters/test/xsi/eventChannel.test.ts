/**
 * The event channel against a scripted XSP: stream framing at every byte position, acks,
 * duplicates, gaps, termination, bad streams, stalls, heartbeats, redirects and reconnect pacing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeChannelTerminated, encodeEvent, type XsiEvent } from '@csta-bw/core';
import { createXsiHttpTransport, type XsiHttpOptions, type XsiHttpTransport } from '../../src/xsi/transport.js';
import { FakeXsp, sleep, until } from './fakeXsp.js';

let xsp: FakeXsp;
let transport: XsiHttpTransport | undefined;
let events: XsiEvent[];
let channel: string[];
let lines: string[];

beforeEach(async () => {
  xsp = await new FakeXsp().start();
  events = [];
  channel = [];
  lines = [];
});
afterEach(async () => {
  await transport?.stop();
  transport = undefined;
  await xsp.close();
});

function open(extra: Partial<XsiHttpOptions> = {}): XsiHttpTransport {
  transport = createXsiHttpTransport({
    baseUrl: xsp.url, user: 'admin@example.com', password: 'secret', channelSetId: 'csta-bw/test', applicationId: 'csta-bw',
    eventTimeoutSeconds: 2, requestTimeoutMs: 1_000, reconnectBackoff: { baseMs: 20, maxMs: 200 }, random: () => 0.5,
    log: (l) => lines.push(l), ...extra,
  });
  transport.start({ event: (e) => events.push(e), channel: (s) => channel.push(s) });
  return transport;
}

function event(eventId: string, subscriptionId: string, sequenceNumber: number, hostLastName = 'Desk'): string {
  return encodeEvent(
    { eventId, subscriptionId, sequenceNumber, targetId: 'agent-001@example.com', type: 'HotelingGuestEvent', info: { active: true, hostUserId: 'desk-101@example.com', hostLastName } },
    { userId: 'admin@example.com', channelId: 'channel-1' },
  );
}

describe('opening the channel', () => {
  it('POSTs the stable channel set on the async path and reports up on the <Channel> document', async () => {
    const t = open();
    await until(() => channel.includes('up'), 2_000, 'up');
    const create = xsp.requests[0]!;
    expect(create.method).toBe('POST');
    expect(create.path).toBe('/com.broadsoft.async/com.broadsoft.xsi-events/v2.0/channel');
    expect(create.body).toContain('<channelSetId>csta-bw/test</channelSetId>');
    expect(create.body).toContain('<applicationId>csta-bw</applicationId>');
    expect(t.channelId).toBe('channel-1');
  });

  it('sends heartbeats every eventTimeout/2 to the channel, and stays up while they are answered', async () => {
    open({ eventTimeoutSeconds: 0.4 });
    await until(() => xsp.count('/channel/channel-1/heartbeat', 'PUT') >= 4, 3_000, 'heartbeats');
    expect(channel).toEqual(['up']);
    expect(xsp.channelCount).toBe(1);
  });

  it('refreshes the channel (PUT expires) at half its granted lifetime', async () => {
    xsp.channelExpires = 2;
    xsp.override = (req, res) => {
      if (req.method !== 'PUT' || !req.url?.endsWith('/channel/channel-1')) return false;
      res.writeHead(200, { 'content-type': 'application/xml' })
        .end('<?xml version="1.0"?><Channel xmlns="http://schema.broadsoft.com/xsi"><channelId>channel-1</channelId><expires>2</expires></Channel>');
      return true;
    };
    open({ channelExpires: 7200 });
    await until(() => xsp.count('/channel/channel-1', 'PUT') - xsp.count('/heartbeat') >= 2, 4_000, 'two refreshes');
    const refresh = xsp.requests.find((r) => r.method === 'PUT' && r.path === '/com.broadsoft.xsi-events/v2.0/channel/channel-1')!;
    expect(refresh.body).toContain('<expires>7200</expires>');
    expect(channel).toEqual(['up']);
  });

  it('a 302 on create pins heartbeats and acks to the node that holds the stream', async () => {
    xsp.override = (req, res) => {
      if (!req.url?.startsWith('/lb/')) return false;
      res.writeHead(302, { location: `${xsp.url}${req.url.slice(3)}` }).end();
      return true;
    };
    open({ baseUrl: `${xsp.url}/lb`, eventTimeoutSeconds: 0.4 });
    await until(() => channel.includes('up'), 2_000, 'up');
    xsp.write(event('e1', 's1', 1));
    await until(() => xsp.acks().includes('e1') && xsp.count('/heartbeat') > 0, 2_000, 'ack and heartbeat');
    const lb = xsp.requests.filter((r) => r.path.startsWith('/lb/')).map((r) => r.path);
    expect(lb).toEqual(['/lb/com.broadsoft.async/com.broadsoft.xsi-events/v2.0/channel']);
  });
});

describe('events', () => {
  it('acks every event with 200 and delivers it once; a redelivered eventID is acked but dropped', async () => {
    open();
    await until(() => channel.includes('up'));
    xsp.write(event('e1', 's1', 1) + event('e2', 's1', 2));
    xsp.write(event('e2', 's1', 2)); // redelivery (our ack "was lost")
    xsp.write(event('e3', 's1', 3));
    await until(() => xsp.acks().length === 4 && events.length === 3, 2_000, 'acks');
    expect(events.map((e) => e.eventId)).toEqual(['e1', 'e2', 'e3']);
    expect(xsp.acks()).toEqual(['e1', 'e2', 'e2', 'e3']);
    const ack = xsp.requests.find((r) => r.path.endsWith('/channel/eventresponse'))!;
    expect(ack.path).toBe('/com.broadsoft.xsi-events/v2.0/channel/eventresponse');
    expect(ack.body).toContain('<statusCode>200</statusCode>');
    expect(channel).toEqual(['up']);
  });

  it('a sequence gap makes the connector resync — no lost/up: the channel never went (DESIGN §4.9) — and still delivers the newer event', async () => {
    open();
    await until(() => channel.includes('up'));
    xsp.write(event('e1', 's1', 1));
    xsp.write(event('e5', 's1', 5));
    await until(() => events.length === 2, 2_000, 'events');
    expect(channel).toEqual(['up', 'resync']);
  });

  it('an event we cannot read is acked 400; an unknown type is acked 200; neither is delivered', async () => {
    open();
    await until(() => channel.includes('up'));
    xsp.write(event('bad', 's1', 1).replace('<xsi:active>true</xsi:active>', '<xsi:active>maybe</xsi:active>'));
    xsp.write(event('other', 's1', 2).replace('xsi:HotelingGuestEvent', 'xsi:DoNotDisturbEvent'));
    await until(() => xsp.acks().length === 2, 2_000, 'acks');
    const bodies = xsp.requests.filter((r) => r.path.endsWith('/eventresponse')).map((r) => /<statusCode>(\d+)/.exec(r.body)?.[1]);
    expect(bodies).toEqual(['400', '200']);
    expect(events).toHaveLength(0);
  });

  it('parses a recorded burst split at every byte position (UTF-8 characters included)', async () => {
    open({ eventTimeoutSeconds: 60 });
    await until(() => channel.includes('up'));
    const burst = (i: number): Buffer => {
      const tag = String(i).padStart(5, '0');
      return Buffer.from(`${event(`a-${tag}`, `s-${tag}`, 1, 'Müller')}\r\n${event(`b-${tag}`, `s-${tag}`, 2, 'Ωμέγα 😀')}${event(`c-${tag}`, `s-${tag}`, 3)}`, 'utf8');
    };
    const length = burst(0).length;
    for (let i = 0; i <= length; i++) {
      const bytes = burst(i);
      xsp.write(bytes.subarray(0, i));
      await sleep(0);
      xsp.write(bytes.subarray(i));
      if (i % 200 === 0) await until(() => events.length === 3 * (i + 1), 5_000, `burst ${i}`);
    }
    await until(() => events.length === 3 * (length + 1), 10_000, 'all bursts');
    for (let i = 0; i <= length; i++) {
      const tag = String(i).padStart(5, '0');
      const mine = events.slice(3 * i, 3 * i + 3);
      expect(mine.map((e) => e.eventId)).toEqual([`a-${tag}`, `b-${tag}`, `c-${tag}`]);
      expect(mine.map((e) => (e.type === 'HotelingGuestEvent' ? e.info.hostLastName : ''))).toEqual(['Müller', 'Ωμέγα 😀', 'Desk']);
    }
    await until(() => xsp.acks().length === 3 * (length + 1), 10_000, 'acks');
    expect(channel).toEqual(['up']);
  }, 60_000);
});

describe('losing the channel', () => {
  it('ChannelTerminatedEvent: not acked, lost, then a new channel on the same set', async () => {
    open();
    await until(() => channel.includes('up'));
    xsp.write(encodeChannelTerminated('channel-1', 'ExplicitDelete'));
    xsp.stream.end();
    await until(() => channel.length === 3, 2_000, 'lost and up');
    expect(channel).toEqual(['up', 'lost', 'up']);
    expect(xsp.acks()).toEqual([]);
    expect(xsp.channelCount).toBe(2);
    expect(xsp.requests.filter((r) => r.path.endsWith('/channel')).every((r) => r.body.includes('<channelSetId>csta-bw/test</channelSetId>'))).toBe(true);
  });

  it('non-XML on the stream desynchronises it: lost, then a fresh channel', async () => {
    open();
    await until(() => channel.includes('up'));
    xsp.write('<html>oops</html> and then plain text');
    await until(() => channel.length === 3, 2_000, 'lost and up');
    expect(lines.some((l) => l.includes('event stream desynchronised: text outside an XML document'))).toBe(true);
  });

  it('a 10 MB document on the stream is refused at the bound, not buffered', async () => {
    open({ maxBodyBytes: 256 * 1024 });
    await until(() => channel.includes('up'));
    xsp.write('<?xml version="1.0"?><xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi"><x>');
    for (let i = 0; i < 160 && channel.length < 2; i++) {
      xsp.write('y'.repeat(64 * 1024));
      await sleep(0);
    }
    await until(() => channel.length >= 2, 2_000, 'lost');
    expect(lines.some((l) => l.includes('larger than 262144 characters'))).toBe(true);
    await until(() => channel.length === 3, 2_000, 'up again');
  });

  it('a stream that stalls (no heartbeat documents) is declared lost', async () => {
    xsp.override = (req, res) => {
      if (!req.url?.endsWith('/heartbeat')) return false;
      res.writeHead(200).end(); // answered, but nothing ever appears on the stream
      return true;
    };
    open({ eventTimeoutSeconds: 0.3 });
    await until(() => channel.length >= 2, 3_000, 'lost');
    expect(channel.slice(0, 2)).toEqual(['up', 'lost']);
    expect(lines.some((l) => l.includes('stalled'))).toBe(true);
  });

  it('a heartbeat answered 404 means the channel is gone: a new one is opened', async () => {
    xsp.override = (req, res) => {
      if (!req.url?.endsWith('/channel/channel-1/heartbeat')) return false;
      res.writeHead(404).end();
      return true;
    };
    open({ eventTimeoutSeconds: 0.3 });
    await until(() => xsp.channelCount === 2 && channel.length === 3, 3_000, 'second channel');
    expect(channel).toEqual(['up', 'lost', 'up']);
  });

  it('a refused create (wrong content type, 503) is retried with growing, bounded pacing — no storm', async () => {
    let creates = 0;
    xsp.override = (req, res) => {
      if (!req.url?.endsWith('/v2.0/channel')) return false;
      creates++;
      if (creates % 2 === 0) res.writeHead(200, { 'content-type': 'text/html' }).end('<html>F5 says no</html>');
      else res.writeHead(503).end();
      return true;
    };
    open({ reconnectBackoff: { baseMs: 50, maxMs: 400 } });
    await sleep(1_500);
    // 50·(1, 2, 4, 8, 8, …)·0.75 → 37, 75, 150, 300, 300, … ms: about 7 attempts in 1.5 s, never dozens.
    expect(creates).toBeGreaterThanOrEqual(4);
    expect(creates).toBeLessThanOrEqual(9);
    expect(channel).toEqual(['lost']); // said once, not per attempt
    expect(lines.some((l) => l.includes('content type "text/html" on the event channel'))).toBe(true);
    expect(lines.some((l) => l.includes('channel create answered HTTP 503'))).toBe(true);
  });

  it('stop() deletes the channel and says nothing more', async () => {
    const t = open();
    await until(() => channel.includes('up'));
    await t.stop();
    expect(xsp.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/com.broadsoft.xsi-events/v2.0/channel/channel-1' });
    await sleep(100);
    expect(channel).toEqual(['up']);
    expect(await t.execute({ op: 'GET CallCenter', userId: 'u@example.com' })).toEqual({ transportError: 'the Xsi transport is stopped' });
  });
});
