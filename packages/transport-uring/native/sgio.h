// The SG_IO fallback for kernels without the io_uring BSG passthrough (< 7.1): one blocking
// ioctl(SG_IO) per command, run on the libuv threadpool so the JS thread never blocks.
#pragma once
#include <napi.h>

namespace scsikit {

// Adds `sgioExecute` to `exports`:
//
//   sgioExecute(fd, version, cdb, direction, data, sense, timeoutMs, callback) -> undefined
//
//   fd         an open /dev/sgN (version 3, `sg_io_hdr_t`) or /dev/bsg/H:C:T:L (version 4,
//              `struct sg_io_v4`) descriptor; the caller keeps it open until `callback` runs.
//   cdb        Uint8Array, 6 to 32 bytes; copied at the call (later changes do not reach the kernel).
//   direction  0 none, 1 in (device to memory), 2 out (memory to device).
//   data       Uint8Array of 1 to 2^32-1 bytes with a transfer, null with none. Referenced until
//              the ioctl returns; the kernel reads or writes it on a threadpool thread meanwhile.
//   sense      Uint8Array of 1 to 252 bytes; the sense bytes written are copied into it just
//              before `callback` runs (the kernel writes into native memory, never into JS memory).
//   timeoutMs  1 to 2^32-1. Version 4 raises anything below 7 s to 7 s (the block layer's minimum).
//   callback   (err, result): err has `errno` (negative), `code` ('ENOTTY'…) and
//              `syscall: 'ioctl(SG_IO)'` when the ioctl failed; otherwise result is
//              { status, hostStatus, driverStatus, senseLength, residual, durationMs, nsec }.
//              Every buffer reference is dropped before it runs, so it may resubmit at once.
//
// Bad arguments throw synchronously (TypeError / RangeError) and nothing is queued.
void RegisterSgio(Napi::Env env, Napi::Object exports);

}  // namespace scsikit
