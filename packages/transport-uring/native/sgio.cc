// ioctl(SG_IO) on the libuv threadpool: v3 (`sg_io_hdr_t`, /dev/sgN) and v4 (`struct sg_io_v4`,
// /dev/bsg). No state outside the worker object: safe in any number of environments and threads.
#include "sgio.h"

#include <linux/bsg.h>
#include <pthread.h>
#include <scsi/sg.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <string>

#include "errors.h"

namespace scsikit {
namespace {

constexpr size_t kMinCdb = 6;
constexpr size_t kMaxCdb = 32;   // the kernel's BSG limit; sg accepts no more either (cmd_len u8)
constexpr size_t kMaxSense = 252;  // SPC's maximum; fits sg v3's u8 mx_sb_len
constexpr const char* kSyscall = "ioctl(SG_IO)";

enum Dir : int { kNone = 0, kIn = 1, kOut = 2 };

static_assert(sizeof(sg_io_v4) == 160, "struct sg_io_v4 is 160 bytes on every Linux ABI");

uint64_t MonotonicNs() {
  timespec t{};
  if (clock_gettime(CLOCK_MONOTONIC, &t) != 0) return 0;
  return static_cast<uint64_t>(t.tv_sec) * 1000000000ull + static_cast<uint64_t>(t.tv_nsec);
}

// A Uint8Array (a Buffer counts), or a TypeError naming the argument.
Napi::Uint8Array Uint8ArrayArg(Napi::Env env, const Napi::Value& v, const char* what) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(env, std::string("sgioExecute: ") + what + " must be a Uint8Array");
  }
  return v.As<Napi::Uint8Array>();
}

// An integer number in [min, max], or a RangeError / TypeError naming the argument.
double IntegerArg(Napi::Env env, const Napi::Value& v, double min, double max, const char* what) {
  if (!v.IsNumber()) throw Napi::TypeError::New(env, std::string("sgioExecute: ") + what + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= min && d <= max) || d != static_cast<double>(static_cast<int64_t>(d))) {
    throw Napi::RangeError::New(env, std::string("sgioExecute: ") + what + " is out of range");
  }
  return d;
}

class SgioWorker final : public Napi::AsyncWorker {
 public:
  SgioWorker(const Napi::Function& callback, int fd, int version, const Napi::Uint8Array& cdb, int dir,
             const Napi::Value& data_value, const Napi::Uint8Array& sense, uint32_t timeout_ms)
      : Napi::AsyncWorker(callback, "scsikit:sgio"),
        fd_(fd),
        version_(version),
        dir_(dir),
        cdb_len_(static_cast<uint32_t>(cdb.ByteLength())),
        sense_len_(static_cast<uint32_t>(sense.ByteLength())),
        timeout_ms_(timeout_ms) {
    // The CDB is the caller's to change once execute() returns: the kernel reads this copy.
    std::memcpy(cdb_, cdb.Data(), cdb_len_);
    if (dir_ != kNone) {
      auto data = data_value.As<Napi::Uint8Array>();
      data_ = data.Data();
      data_len_ = static_cast<uint32_t>(data.ByteLength());
      data_ref_ = Napi::Persistent(data_value);  // the kernel reads/writes it on the threadpool
    }
    sense_ref_ = Napi::Persistent(sense.As<Napi::Value>());
  }

 protected:
  // Threadpool thread: touches no JS value, only the copies and the referenced data bytes.
  void Execute() override {
    // Block every signal for the ioctl: sg's SG_IO waits interruptibly, and a signal handled with
    // SA_RESTART (libuv installs them so) would restart the ioctl — sending the command twice.
    // Process-directed signals go to another thread meanwhile; thread-directed ones wait.
    sigset_t all, old;
    // sigprocmask is per-thread in glibc (it is pthread_sigmask there); pthread_sigmask itself would
    // raise the prebuild's glibc floor from 2.17 to 2.32 (its libc symbol version).
    const bool masked = sigfillset(&all) == 0 && sigprocmask(SIG_BLOCK, &all, &old) == 0;
    const uint64_t start = MonotonicNs();
    const int ret = version_ == 4 ? ExecuteV4() : ExecuteV3();
    const int e = errno;
    nsec_ = MonotonicNs() - start;
    if (masked) sigprocmask(SIG_SETMASK, &old, nullptr);  // cannot fail: `old` came from it
    err_ = ret < 0 ? (e > 0 ? e : EIO) : 0;
  }

  // JS thread. Only `OnOK` runs: Execute never calls SetError (an errno is a result to deliver).
  void OnOK() override {
    Napi::Env env = Env();
    uint32_t sense_copied = 0;
    if (err_ == 0) {
      Napi::Value v = sense_ref_.Value();
      // Re-checked: the caller may have detached (transferred) the buffer in the meantime.
      if (v.IsTypedArray()) {
        auto sense = v.As<Napi::Uint8Array>();
        sense_copied = std::min<uint32_t>(std::min(sense_written_, sense_len_),
                                          static_cast<uint32_t>(sense.ByteLength()));
        if (sense_copied > 0) std::memcpy(sense.Data(), sense_, sense_copied);
      }
    }
    // Dropped before the callback runs: it may reuse or resubmit the buffers.
    data_ref_.Reset();
    sense_ref_.Reset();
    if (err_ != 0) {
      Callback().Call({ErrnoError(env, -err_, kSyscall).Value(), env.Undefined()});
      return;
    }
    Napi::Object r = Napi::Object::New(env);
    r.Set("status", Napi::Number::New(env, status_));
    r.Set("hostStatus", Napi::Number::New(env, host_status_));
    r.Set("driverStatus", Napi::Number::New(env, driver_status_));
    r.Set("senseLength", Napi::Number::New(env, sense_copied));
    r.Set("residual", Napi::Number::New(env, static_cast<double>(residual_)));
    r.Set("durationMs", Napi::Number::New(env, duration_ms_));
    r.Set("nsec", Napi::Number::New(env, static_cast<double>(nsec_)));
    Callback().Call({env.Null(), r});
  }

 private:
  int ExecuteV3() {
    sg_io_hdr_t h;
    std::memset(&h, 0, sizeof h);
    h.interface_id = 'S';
    h.dxfer_direction = dir_ == kIn ? SG_DXFER_FROM_DEV : dir_ == kOut ? SG_DXFER_TO_DEV : SG_DXFER_NONE;
    h.cmd_len = static_cast<unsigned char>(cdb_len_);
    h.mx_sb_len = static_cast<unsigned char>(sense_len_);
    h.dxfer_len = data_len_;
    h.dxferp = data_;
    h.cmdp = cdb_;
    h.sbp = sense_;
    h.timeout = timeout_ms_;
    const int ret = ioctl(fd_, SG_IO, &h);
    if (ret < 0) return ret;
    status_ = h.status;  // the full SAM status byte (masked_status is it >> 1)
    host_status_ = h.host_status;
    driver_status_ = h.driver_status;
    sense_written_ = h.sb_len_wr;
    residual_ = h.resid;
    duration_ms_ = h.duration;
    return ret;
  }

  int ExecuteV4() {
    sg_io_v4 h;
    std::memset(&h, 0, sizeof h);
    h.guard = 'Q';
    h.protocol = BSG_PROTOCOL_SCSI;
    h.subprotocol = BSG_SUB_PROTOCOL_SCSI_CMD;
    h.request_len = cdb_len_;
    h.request = reinterpret_cast<uintptr_t>(cdb_);
    h.max_response_len = sense_len_;
    h.response = reinterpret_cast<uintptr_t>(sense_);
    if (dir_ == kIn) {
      h.din_xfer_len = data_len_;
      h.din_xferp = reinterpret_cast<uintptr_t>(data_);
    } else if (dir_ == kOut) {
      h.dout_xfer_len = data_len_;
      h.dout_xferp = reinterpret_cast<uintptr_t>(data_);
    }
    h.timeout = timeout_ms_;
    const int ret = ioctl(fd_, SG_IO, &h);
    if (ret < 0) return ret;
    status_ = h.device_status & 0xff;
    host_status_ = h.transport_status & 0xff;
    driver_status_ = h.driver_status & 0xff;
    sense_written_ = h.response_len;
    residual_ = dir_ == kIn ? h.din_resid : dir_ == kOut ? h.dout_resid : 0;
    duration_ms_ = h.duration;
    return ret;
  }

  // Inputs, fixed at construction.
  const int fd_;
  const int version_;
  const int dir_;
  uint8_t cdb_[kMaxCdb]{};
  const uint32_t cdb_len_;
  uint8_t* data_ = nullptr;
  uint32_t data_len_ = 0;
  uint8_t sense_[kMaxSense]{};
  const uint32_t sense_len_;
  const uint32_t timeout_ms_;
  Napi::Reference<Napi::Value> data_ref_;
  Napi::Reference<Napi::Value> sense_ref_;
  // Outputs, written by Execute, read by OnOK (libuv orders the two).
  int err_ = 0;
  uint32_t status_ = 0;
  uint32_t host_status_ = 0;
  uint32_t driver_status_ = 0;
  uint32_t sense_written_ = 0;
  int64_t residual_ = 0;
  uint32_t duration_ms_ = 0;
  uint64_t nsec_ = 0;
};

// sgioExecute(fd, version, cdb, direction, data | null, sense, timeoutMs, callback) -> undefined
Napi::Value SgioExecute(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 8) {
    throw Napi::TypeError::New(
        env, "sgioExecute(fd, version, cdb, direction, data, sense, timeoutMs, callback) takes 8 arguments");
  }
  const int fd = static_cast<int>(IntegerArg(env, info[0], 0, INT32_MAX, "fd"));
  const int version = static_cast<int>(IntegerArg(env, info[1], 3, 4, "version (3 or 4)"));
  Napi::Uint8Array cdb = Uint8ArrayArg(env, info[2], "cdb");
  if (cdb.ByteLength() < kMinCdb || cdb.ByteLength() > kMaxCdb) {
    throw Napi::RangeError::New(env, "sgioExecute: cdb must be 6 to 32 bytes");
  }
  const int dir = static_cast<int>(IntegerArg(env, info[3], kNone, kOut, "direction (0, 1 or 2)"));
  if (dir == kNone) {
    if (!info[4].IsNull() && !info[4].IsUndefined()) {
      throw Napi::TypeError::New(env, "sgioExecute: data must be null with direction 0");
    }
  } else {
    Napi::Uint8Array data = Uint8ArrayArg(env, info[4], "data");
    if (data.ByteLength() == 0 || data.ByteLength() > UINT32_MAX) {
      throw Napi::RangeError::New(env, "sgioExecute: data must be 1 to 2^32-1 bytes");
    }
  }
  Napi::Uint8Array sense = Uint8ArrayArg(env, info[5], "sense");
  if (sense.ByteLength() == 0 || sense.ByteLength() > kMaxSense) {
    throw Napi::RangeError::New(env, "sgioExecute: sense must be 1 to 252 bytes");
  }
  const auto timeout_ms = static_cast<uint32_t>(IntegerArg(env, info[6], 1, UINT32_MAX, "timeoutMs"));
  if (!info[7].IsFunction()) throw Napi::TypeError::New(env, "sgioExecute: callback must be a function");

  auto* worker = new SgioWorker(info[7].As<Napi::Function>(), fd, version, cdb, dir, info[4], sense, timeout_ms);
  try {
    worker->Queue();
  } catch (...) {
    delete worker;  // never queued: nothing else owns it
    throw;
  }
  return env.Undefined();
}

}  // namespace

void RegisterSgio(Napi::Env env, Napi::Object exports) {
  exports.Set("sgioExecute", Napi::Function::New(env, SgioExecute, "sgioExecute"));
}

}  // namespace scsikit
