/**
 * `security`: SECURITY PROTOCOL IN protocol 00h — the security protocols the device supports, with
 * their names, and its certificate. Read-class.
 */
import { SENSE_KEY } from '@scsikit/cdb';
import { CheckConditionError, type Device } from '@scsikit/core';
import { z } from 'zod';
import type { CliIo, Output } from '../context.js';
import { hexDump } from '../format.js';
import { byte, hexBytes, successSchema, uint } from '../json.js';
import type { Cli, CommonOpts } from '../registration.js';

export const securitySchema = successSchema('security', {
  /** SUPPORTED SECURITY PROTOCOL LIST LENGTH. */
  supportedSecurityProtocolListLength: uint,
  protocols: z.array(z.object({ securityProtocol: byte, name: z.string() })),
  /** CERTIFICATE LENGTH (SP specific 0001h); null when the device refused that page. */
  certificateLength: uint.nullable(),
  /** The certificate bytes; empty when the device has none, null when it refused the page. */
  certificate: hexBytes.nullable(),
});

const h2 = (n: number) => `${n.toString(16).padStart(2, '0')}h`;

export async function securityCommand(dev: Device, io: CliIo): Promise<Output> {
  let list: Awaited<ReturnType<Device['supportedSecurityProtocols']>>;
  try {
    list = await dev.supportedSecurityProtocols();
  } catch (e) {
    if (e instanceof CheckConditionError && e.is(SENSE_KEY.ILLEGAL_REQUEST, 0x20, 0x00)) {
      io.err('the device does not support SECURITY PROTOCOL IN (no security protocols to list)\n');
    }
    throw e;
  }
  let cert: Awaited<ReturnType<Device['securityCertificates']>> | undefined;
  try {
    cert = await dev.securityCertificates();
  } catch (e) {
    // SPC-6 makes 0001h mandatory with 00h; a device that refuses it still has a protocol list.
    if (!(e instanceof CheckConditionError && e.senseKey === SENSE_KEY.ILLEGAL_REQUEST)) throw e;
  }
  const lines = ['Supported security protocols:'];
  for (const p of list.protocols) lines.push(`  ${h2(p.securityProtocol)}  ${p.name}`);
  if (cert === undefined)
    lines.push('Certificate: not available (the device refused SECURITY PROTOCOL SPECIFIC 0001h)');
  else if (cert.certificateLength === 0) lines.push('Certificate: none (length 0)');
  else lines.push(`Certificate: ${cert.certificateLength} bytes`, hexDump(cert.certificate, '  '));
  return {
    body: {
      supportedSecurityProtocolListLength: list.supportedSecurityProtocolListLength,
      protocols: list.protocols,
      certificateLength: cert?.certificateLength ?? null,
      certificate: cert?.certificate ?? null,
    },
    text: `${lines.join('\n')}\n`,
  };
}

/** Registers security. */
export function registerSecurityCommands({ runner, io, deviceCommand }: Cli): void {
  deviceCommand(
    'security',
    'SECURITY PROTOCOL IN 00h: supported security protocols and the certificate',
  ).action((device: string, opts: CommonOpts) =>
    runner.device('security', device, opts, false, (dev) => securityCommand(dev, io)),
  );
}
