/**
 * What a CSTA link hears of the XSP (DESIGN §4.9, §8): `normal` only while an event channel is
 * up; `disabled` otherwise — lost, and also before the first channel was ever up, since a
 * connector without a channel can follow nothing (genesys §12.3: failure is reported only when
 * every link to BroadWorks is down, and before the first is up none is up). Links are told on the
 * edges of this function only: a resync on a live channel changes nothing they hear.
 */
import type { SystemStatusValue } from '../csta/types.js';
import type { ConnectorState } from './state.js';

export const linkStatus = (channel: ConnectorState['channel']): SystemStatusValue => (channel === 'up' ? 'normal' : 'disabled');
