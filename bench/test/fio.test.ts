import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIO_SG_MAX_DEPTH, fioArgs, fioFilename, parseFioJson } from '../src/fio.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
// Real output of fio 3.33 (Debian bookworm) on a regular file on the host.
const RANDREAD = fixture('fio-3.33-io_uring-randread-4k-qd8.json');
const SEQREAD = fixture('fio-3.33-io_uring-read-128k-qd4.json');

describe('parseFioJson', () => {
  it('reads IOPS, bandwidth and latency percentiles of a real random-read run', () => {
    const r = parseFioJson(RANDREAD);
    expect(r.version).toBe('fio-3.33');
    expect(r.iops).toBeCloseTo(44192.69103, 3);
    expect(r.bwBytes).toBe(181013262);
    expect(r.ios).toBe(13302);
    expect(r.runtimeMs).toBe(301);
    const doc = JSON.parse(RANDREAD);
    const lat = doc.jobs[0].read.lat_ns;
    expect(r.lat.mean).toBe(lat.mean);
    expect(r.lat.p50).toBe(lat.percentile['50.000000']);
    expect(r.lat.p99).toBe(lat.percentile['99.000000']);
    expect(r.lat.p99).toBeGreaterThanOrEqual(r.lat.p50);
  });

  it('reads a sequential 128 KiB run', () => {
    const r = parseFioJson(SEQREAD);
    expect(r.bwBytes).toBe(1104314259);
    expect(r.iops).toBeCloseTo(8425.249169, 3);
    expect(r.lat.p50).toBe(452608);
  });

  it('skips notes fio prints before the document', () => {
    const noisy = `note: both iodepth >= 1 and synchronous I/O engine are selected, queue depth will be capped at 1\n${RANDREAD}`;
    expect(parseFioJson(noisy).ios).toBe(13302);
  });

  it('throws on a failed job, no reads, or no document', () => {
    const doc = JSON.parse(RANDREAD);
    doc.jobs[0].error = 5;
    expect(() => parseFioJson(JSON.stringify(doc))).toThrow(/error 5/u);
    doc.jobs[0].error = 0;
    doc.jobs[0].read.total_ios = 0;
    expect(() => parseFioJson(JSON.stringify(doc))).toThrow(/no reads/u);
    expect(() => parseFioJson('fio: engine sg not loadable\n')).toThrow(/no JSON/u);
    expect(() => parseFioJson('{"jobs": []}')).toThrow(/no jobs/u);
  });
});

describe('fioArgs', () => {
  const job = {
    name: 'r',
    filename: '/dev/sda',
    engine: 'io_uring',
    rw: 'randread',
    bs: 4096,
    iodepth: 32,
    seconds: 2,
  } as const;

  it('builds one argument per option, read-only, JSON output, O_DIRECT for the block device', () => {
    const a = fioArgs(job);
    expect(a).toContain('--ioengine=io_uring');
    expect(a).toContain('--direct=1');
    expect(a).toContain('--readonly');
    expect(a).toContain('--output-format=json');
    expect(a).toContain('--iodepth=32');
    expect(a).toContain('--runtime=2000ms');
    expect(a.every((x) => x.startsWith('--'))).toBe(true);
  });

  it('caps the sg engine at the sg driver’s 16 commands per fd', () => {
    const a = fioArgs({ ...job, filename: '/dev/sg0', engine: 'sg', iodepth: 128 });
    expect(a).toContain(`--iodepth=${FIO_SG_MAX_DEPTH}`);
    expect(a).not.toContain('--direct=1');
    // fio's sg engine needs a read-write fd to write(2) its sg_io_hdr.
    expect(a).not.toContain('--readonly');
  });

  it('escapes colons in file names (bsg nodes)', () => {
    expect(fioFilename('/dev/bsg/0:0:0:0')).toBe('/dev/bsg/0\\:0\\:0\\:0');
    expect(fioArgs({ ...job, filename: '/dev/bsg/0:0:0:0' })).toContain('--filename=/dev/bsg/0\\:0\\:0\\:0');
  });

  it('refuses a job without a duration', () => {
    expect(() => fioArgs({ ...job, seconds: 0 })).toThrow(RangeError);
  });
});
