/**
 * The read-only Actions documents only the simulator writes (the connector never reads them): the
 * service list, access devices, and the directories the simulator keeps empty. Shapes follow the
 * BroadWorks XSD (reference/xsi.md §2 "Service presence", §7 Directory/XSIDirectories.xsd):
 *   Services       service{name, uri}*
 *   AccessDevices  accessDevice{deviceName, deviceLevel, deviceType, deviceLinePort}*
 *   GroupCommon / EnterpriseCommon / Personal   startIndex, numberOfRecords, totalAvailableRecords
 *   CallLogs       placed?, received?, missed?   (each a CallLogsEntries list, empty: no calls yet)
 */
import { XSI_NAMESPACE, XSI_XML_DECLARATION, textElement } from '@csta-bw/core';

export interface ServiceEntry {
  name: string;
  uri: string;
}

export interface AccessDeviceEntry {
  deviceName: string;
  deviceLevel: 'System' | 'Service Provider' | 'Group';
  deviceType: string;
  deviceLinePort: string;
}

const document = (root: string, inner: string): string => `${XSI_XML_DECLARATION}<${root} xmlns="${XSI_NAMESPACE}">${inner}</${root}>`;

export function encodeServices(services: readonly ServiceEntry[]): string {
  return document('Services', services.map((s) => `<service>${textElement('name', s.name)}${textElement('uri', s.uri)}</service>`).join(''));
}

export function encodeAccessDevices(devices: readonly AccessDeviceEntry[]): string {
  const one = (d: AccessDeviceEntry): string =>
    `<accessDevice>${textElement('deviceName', d.deviceName)}${textElement('deviceLevel', d.deviceLevel)}` +
    `${textElement('deviceType', d.deviceType)}${textElement('deviceLinePort', d.deviceLinePort)}</accessDevice>`;
  return document('AccessDevices', devices.map(one).join(''));
}

export type EmptyDirectoryName = 'GroupCommon' | 'EnterpriseCommon' | 'Personal';

/** A paged directory with nothing in it: the counts say so (startIndex echoes the request). */
export function encodeEmptyDirectory(name: EmptyDirectoryName, startIndex: number): string {
  return document(name, `${textElement('startIndex', startIndex)}${textElement('numberOfRecords', 0)}${textElement('totalAvailableRecords', 0)}`);
}

export type CallLogList = 'placed' | 'received' | 'missed';
export const CALL_LOG_LISTS: readonly CallLogList[] = ['placed', 'received', 'missed'];

/** `CallLogs` with the asked lists (all three, in XSD order, by default), each empty. */
export function encodeCallLogs(lists: readonly CallLogList[] = CALL_LOG_LISTS): string {
  return document('CallLogs', CALL_LOG_LISTS.filter((l) => lists.includes(l)).map((l) => `<${l}/>`).join(''));
}
