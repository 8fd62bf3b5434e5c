/**
 * The oracle's one window onto the connector. Everything else the oracle judges comes from
 * outside: what clients were told, what was sent to the XSP, and the simulator's truth. The few
 * facts below have no outside source (what the connector believes — I1 compares exactly that —,
 * which associations it made, which monitors are open, which jobs are alive), so they are asked
 * of the core's queries, never read out of its fields (issue 14 item 7): the connector's state
 * can change shape behind them. The import rule (test/oracle/imports.test.ts) lets this file,
 * and only this file, bring in values from the core, and only its queries.
 */
export {
  heldUsers, isHeld, openMonitors, ourAssociations, liveJobs, owesWork, timeouts, defaultDomain,
  type HeldUser, type OpenMonitor, type LiveJob,
} from '@csta-bw/core';
