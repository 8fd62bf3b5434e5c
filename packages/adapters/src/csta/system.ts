/**
 * System services on one CSTA link (ECMA-269 §12.2; issue 12 item 5), as plain decisions: the
 * link's SystemStatus registrations and what each system request gets.
 *
 * Rules:
 *   1. SystemRegister → SystemRegisterResponse with a fresh sysStatRegisterID (unique on the link).
 *      We report systemStatus only, whatever requestTypes / filter ask; a link may hold several.
 *   2. SystemRegisterCancel(id) → SystemRegisterCancelResponse; SystemRegisterAbort(id) ends the
 *      registration without an answer (the service is unconfirmed). An id the link does not hold
 *      → `operation/invalidCrossRefID`, for both.
 *   3. RequestSystemStatus(id) with an id the link does not hold → invalidCrossRefID; with a valid
 *      id, or none, it goes on to the connector, which knows the system's status.
 *   4. Every SystemStatus the gateway sends to a link with registrations names them: one message
 *      per registration, carrying its id; a link without registrations gets one without an id.
 */
import { CstaErrors, type CstaError, type CstaRequest, type CstaResponse } from '@csta-bw/core';

export type SystemRequest = Extract<CstaRequest, { service: 'SystemRegister' | 'SystemRegisterCancel' | 'SystemRegisterAbort' }>;

export function isSystemRequest(request: CstaRequest): request is SystemRequest {
  return request.service === 'SystemRegister' || request.service === 'SystemRegisterCancel' || request.service === 'SystemRegisterAbort';
}

export class SystemRegistrations {
  private readonly ids = new Set<string>();
  private counter = 0;

  /** The answer to a system request: a response, an error, or nothing (abort). */
  decide(request: SystemRequest): { response: CstaResponse } | { error: CstaError } | { none: true } {
    switch (request.service) {
      case 'SystemRegister': {
        const id = String(++this.counter);
        this.ids.add(id);
        return { response: { service: 'SystemRegisterResponse', sysStatRegisterID: id } };
      }
      case 'SystemRegisterCancel':
        if (!this.end(request.sysStatRegisterID)) return { error: CstaErrors.invalidCrossRefID };
        return { response: { service: 'SystemRegisterCancelResponse' } };
      case 'SystemRegisterAbort':
        return this.end(request.sysStatRegisterID) ? { none: true } : { error: CstaErrors.invalidCrossRefID };
    }
  }

  /** Rule 3: an error when RequestSystemStatus names a registration the link does not hold. */
  check(id: string | undefined): CstaError | undefined {
    return id === undefined || this.ids.has(id) ? undefined : CstaErrors.invalidCrossRefID;
  }

  /** Rule 4: the register ids to put on one SystemStatus each; [undefined] when there are none. */
  addressees(): (string | undefined)[] {
    return this.ids.size === 0 ? [undefined] : [...this.ids];
  }

  private end(id: string | undefined): boolean {
    return id !== undefined && this.ids.delete(id);
  }
}
