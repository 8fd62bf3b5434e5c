/**
 * Turn: a response comes before the CSTA events its request caused. While the job at the head of
 * a user's queue still owes its client an answer, events for that user's monitors are held and
 * released right after the answer; events for closed links are dropped then, and a client whose
 * link closed gets no answer at all. (Gaps found by mutation testing: nothing else pinned the order.)
 */
import { describe, expect, it } from 'vitest';
import type { Output } from '../../src/connector/io.js';
import { createConnector, type ConnectorState, type Job } from '../../src/connector/state.js';
import { Turn } from '../../src/connector/turn.js';
import { CstaErrors, type CstaEvent } from '../../src/csta/types.js';

const DESK = 'desk-101@example.com';
const ready: CstaEvent = { name: 'AgentReadyEvent', agentDevice: 'desk-101', agentID: 'agent-001' };

/** A connector with links `a` and `b` open and one job `j1` heading DESK's queue. */
function world(): { s: ConnectorState; job: Job } {
  const s = createConnector();
  s.links = { a: true, b: true };
  const j: Job = {
    id: 'j1', kind: 'request', users: [DESK], arrivedAt: 0, running: true, deferred: [],
    client: { link: 'a', invokeId: '7', request: { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' }, answered: false },
  };
  s.jobs[j.id] = j;
  s.queues[DESK] = [j.id];
  return { s, job: j };
}

const kinds = (outputs: Output[]) => outputs.map((o) => (o.kind === 'csta.event' ? `event:${o.link}` : o.kind));

describe('Turn: events caused by a pending request follow its answer', () => {
  it('holds an event for a user whose running job owes an answer, and sends it right after the response', () => {
    const { s, job } = world();
    const t = new Turn(s, 0);
    t.cstaEvent(DESK, 'b', '1', ready);
    expect(t.outputs).toEqual([]);
    t.answer(job, { response: { service: 'SetAgentStateResponse' } });
    expect(kinds(t.outputs)).toEqual(['csta.response', 'event:b']);
    expect(t.outputs[0]).toEqual({ kind: 'csta.response', link: 'a', invokeId: '7', response: { service: 'SetAgentStateResponse' } });
    expect(t.outputs[1]).toEqual({ kind: 'csta.event', link: 'b', monitorCrossRefId: '1', event: ready });
    expect(job.deferred).toEqual([]); // released, not kept in the job (state is plain data, read directly)
  });

  it('releases held events after an error answer too', () => {
    const { s, job } = world();
    const t = new Turn(s, 0);
    t.cstaEvent(DESK, 'a', '1', ready);
    t.answer(job, { error: CstaErrors.resourceBusy });
    expect(t.outputs).toEqual([
      { kind: 'csta.error', link: 'a', invokeId: '7', error: CstaErrors.resourceBusy },
      { kind: 'csta.event', link: 'a', monitorCrossRefId: '1', event: ready },
    ]);
  });

  it.each([
    ['no job holds the user', (s: ConnectorState) => { delete s.queues[DESK]; }],
    ['the head job is not running yet', (s: ConnectorState) => { s.jobs.j1!.running = false; }],
    ['the head job has no client (a fetch, cleanup or repair)', (s: ConnectorState) => { delete s.jobs.j1!.client; }],
  ])('sends an event at once when %s', (_case, arrange) => {
    const { s } = world();
    arrange(s);
    const t = new Turn(s, 0);
    t.cstaEvent(DESK, 'b', '1', ready);
    expect(kinds(t.outputs)).toEqual(['event:b']);
  });

  it('sends an event at once when the client was already answered', () => {
    const { s, job } = world();
    const t = new Turn(s, 0);
    t.answer(job, { response: { service: 'SetAgentStateResponse' } });
    t.cstaEvent(DESK, 'b', '1', ready);
    expect(kinds(t.outputs)).toEqual(['csta.response', 'event:b']);
  });

  it('holds only events for the users the job holds', () => {
    const { s, job } = world();
    const t = new Turn(s, 0);
    t.cstaEvent('desk-102@example.com', 'b', '2', ready);
    t.cstaEvent(DESK, 'b', '1', ready);
    t.answer(job, { response: { service: 'SetAgentStateResponse' } });
    expect(t.outputs.map((o) => (o.kind === 'csta.event' ? o.monitorCrossRefId : o.kind))).toEqual(['2', 'csta.response', '1']);
  });

  it('answers a client once', () => {
    const { s, job } = world();
    const t = new Turn(s, 0);
    t.answer(job, { response: { service: 'SetAgentStateResponse' } });
    t.answer(job, { error: CstaErrors.resourceBusy });
    expect(kinds(t.outputs)).toEqual(['csta.response']);
    expect(job.client?.answered).toBe(true);
  });

  it('sends no answer to a closed link, but still releases held events for open links and drops those for closed ones', () => {
    const { s, job } = world();
    const t = new Turn(s, 0);
    t.cstaEvent(DESK, 'a', '1', ready);
    t.cstaEvent(DESK, 'b', '2', ready);
    delete s.links.a;
    t.answer(job, { response: { service: 'SetAgentStateResponse' } });
    expect(t.outputs).toEqual([{ kind: 'csta.event', link: 'b', monitorCrossRefId: '2', event: ready }]);
    expect(job.client?.answered).toBe(true);
  });

  it('a held output that is not a CSTA event is released whatever the links', () => {
    const { s, job } = world();
    job.deferred.push({ kind: 'timer.clear', timerId: 'x' });
    s.links = {};
    const t = new Turn(s, 0);
    t.answer(job, { response: { service: 'SetAgentStateResponse' } });
    expect(t.outputs).toEqual([{ kind: 'timer.clear', timerId: 'x' }]);
  });
});
