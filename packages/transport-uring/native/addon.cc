// Node-API glue: validates nothing the TypeScript layer already validated, but never trusts a
// pointer or length it did not derive from a live JS typed array itself.
#include <napi.h>
#include <uv.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "bsg_uring.h"
#include "errors.h"
#include "queue.h"
#include "ring.h"
#include "sgio.h"

namespace scsikit {
namespace {

// Per-environment state so the addon works in worker threads (no process globals).
struct InstanceData {
  Napi::FunctionReference ring_ctor;
};

// One synchronous bsg command's arguments, as uringCmd and cmdWait take them. Pointers come from
// live JS typed arrays the call holds for its whole duration.
struct SyncCmd {
  int fd;
  uint8_t* cdb;
  uint32_t cdb_len;
  Direction dir;
  uint8_t* data;
  uint32_t data_len;
  uint8_t* sense;
  uint32_t sense_len;
  uint32_t timeout_ms;
};

// (fd, cdb, direction, data | null, sense, timeoutMs), checked; throws a TypeError or RangeError.
SyncCmd ParseSyncCmd(const Napi::CallbackInfo& info, const char* usage) {
  Napi::Env env = info.Env();
  if (info.Length() < 6 || !info[0].IsNumber() || !info[1].IsTypedArray() || !info[2].IsNumber() ||
      !info[4].IsTypedArray() || !info[5].IsNumber()) {
    throw Napi::TypeError::New(env, usage);
  }
  auto cdb = info[1].As<Napi::Uint8Array>();
  const int dir = info[2].As<Napi::Number>().Int32Value();
  auto sense = info[4].As<Napi::Uint8Array>();
  if (cdb.ByteLength() < 6 || cdb.ByteLength() > 32) throw Napi::RangeError::New(env, "cdb must be 6 to 32 bytes");
  if (dir < 0 || dir > 2) throw Napi::RangeError::New(env, "direction must be 0 (none), 1 (in) or 2 (out)");
  if (sense.ByteLength() == 0 || sense.ByteLength() > 252) {
    throw Napi::RangeError::New(env, "sense buffer must be 1 to 252 bytes");
  }
  uint8_t* data = nullptr;
  size_t data_len = 0;
  if (dir != 0) {
    if (!info[3].IsTypedArray()) throw Napi::TypeError::New(env, "a data transfer needs a Uint8Array");
    auto d = info[3].As<Napi::Uint8Array>();
    data = d.Data();
    data_len = d.ByteLength();
    if (data_len == 0 || data_len > UINT32_MAX) throw Napi::RangeError::New(env, "data length must be 1 to 2^32-1");
  }
  return SyncCmd{info[0].As<Napi::Number>().Int32Value(),
                 cdb.Data(),
                 static_cast<uint32_t>(cdb.ByteLength()),
                 static_cast<Direction>(dir),
                 data,
                 static_cast<uint32_t>(data_len),
                 sense.Data(),
                 static_cast<uint32_t>(sense.ByteLength()),
                 info[5].As<Napi::Number>().Uint32Value()};
}

class RingWrap : public Napi::ObjectWrap<RingWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Ring",
                       {
                           InstanceMethod<&RingWrap::Nops>("nops"),
                           InstanceMethod<&RingWrap::UringCmd>("uringCmd"),
                           InstanceMethod<&RingWrap::CmdWait>("cmdWait"),
                           InstanceMethod<&RingWrap::Close>("close"),
                           InstanceAccessor<&RingWrap::Flags>("flags"),
                           InstanceAccessor<&RingWrap::SqEntries>("sqEntries"),
                           InstanceAccessor<&RingWrap::IsOpen>("isOpen"),
                       });
  }

  explicit RingWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RingWrap>(info) {
    Napi::Env env = info.Env();
    if (!info.IsConstructCall()) throw Napi::TypeError::New(env, "Ring must be called with new");
    if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "entries must be a number");
    const uint32_t entries = ExactU32(env, info[0], "entries");
    if (entries == 0 || entries > 32768 || (entries & (entries - 1)) != 0) {
      throw Napi::RangeError::New(env, "entries must be a power of two in [1, 32768]");
    }
    const int ret = ring_.Init(entries);
    if (ret < 0) throw ErrnoError(env, ret, "io_uring_setup");
  }

 private:
  void RequireOpen(Napi::Env env) {
    if (!ring_.open()) throw CodedError(env, "ERR_SCSIKIT_RING_CLOSED", "the ring is closed");
  }

  Napi::Value Flags(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), ring_.flags()); }
  Napi::Value SqEntries(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), ring_.open() ? ring_.sq_entries() : 0);
  }
  Napi::Value IsOpen(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), ring_.open()); }

  // nops(count, batch) -> { completed, failed, nsec }
  Napi::Value Nops(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    RequireOpen(env);
    if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) {
      throw Napi::TypeError::New(env, "nops(count, batch) takes two numbers");
    }
    const int64_t count = info[0].As<Napi::Number>().Int64Value();
    const int64_t batch = info[1].As<Napi::Number>().Int64Value();
    if (count < 0 || batch < 1) throw Napi::RangeError::New(env, "count must be >= 0 and batch >= 1");
    unsigned long bad = 0;
    timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    const long done = ring_.Nops(static_cast<unsigned long>(count), static_cast<unsigned>(batch), &bad);
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (done < 0) throw ErrnoError(env, static_cast<int>(done), "io_uring_enter");
    Napi::Object r = Napi::Object::New(env);
    r.Set("completed", Napi::Number::New(env, static_cast<double>(done)));
    r.Set("failed", Napi::Number::New(env, static_cast<double>(bad)));
    r.Set("nsec", Napi::Number::New(env, (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)));
    return r;
  }

  // uringCmd(fd, cdb, direction, data | null, sense, timeoutMs) -> { res, info: bigint, nsec }
  Napi::Value UringCmd(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    RequireOpen(env);
    const SyncCmd c = ParseSyncCmd(info, "uringCmd(fd, cdb, direction, data, sense, timeoutMs): bad arguments");
    CmdResult out{};
    const int ret = ring_.UringCmdSync(c.fd, c.cdb, c.cdb_len, c.dir, c.data, c.data_len, c.sense, c.sense_len,
                                       c.timeout_ms, &out);
    if (ret < 0) throw ErrnoError(env, ret, "io_uring_enter");
    Napi::Object r = Napi::Object::New(env);
    r.Set("res", Napi::Number::New(env, out.res));
    r.Set("info", Napi::BigInt::New(env, out.info));
    r.Set("nsec", Napi::Number::New(env, static_cast<double>(out.nsec)));
    return r;
  }

  // cmdWait(fd, cdb, direction, data | null, sense, timeoutMs) -> -errno, or big_cqe[0]'s low 32
  // bits (status | driver << 8 | host << 16 | sense length << 24). The bench's synchronous floor
  // (issue #20): one N-API call and one io_uring_enter per command, no object built per call. Not
  // exported by the package (the bench loads the addon itself).
  Napi::Value CmdWait(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    RequireOpen(env);
    const SyncCmd c = ParseSyncCmd(info, "cmdWait(fd, cdb, direction, data, sense, timeoutMs): bad arguments");
    CmdResult out{};
    const int ret = ring_.UringCmdWait(c.fd, c.cdb, c.cdb_len, c.dir, c.data, c.data_len, c.sense, c.sense_len,
                                       c.timeout_ms, &out);
    if (ret < 0) throw ErrnoError(env, ret, "io_uring_enter");
    if (out.res < 0) return Napi::Number::New(env, out.res);
    return Napi::Number::New(env, static_cast<double>(static_cast<uint32_t>(out.info)));
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    ring_.Close();
    return info.Env().Undefined();
  }

  Ring ring_;
};

void FreeAlignedBuffer(napi_env, void* data, void*) { std::free(data); }

// allocateAligned(size) -> ArrayBuffer over zeroed, page-aligned native memory, freed when JS drops
// it. A buffer of up to a page then maps to one kernel segment: LIO's WRITE SAME, for one, refuses
// a block that straddles two pages (05/24/00).
Napi::Value AllocateAligned(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "allocateAligned(size)");
  const double requested = info[0].As<Napi::Number>().DoubleValue();
  if (!(requested >= 1 && requested <= double(64u << 20)) || requested != static_cast<double>(static_cast<uint32_t>(requested))) {
    throw Napi::RangeError::New(env, "size must be an integer in 1..64 MiB");
  }
  const size_t size = static_cast<size_t>(requested);
  const long page = sysconf(_SC_PAGESIZE);
  if (page <= 0) throw Napi::Error::New(env, "sysconf(_SC_PAGESIZE) failed");
  const size_t rounded = (size + static_cast<size_t>(page) - 1) / static_cast<size_t>(page) * static_cast<size_t>(page);
  void* mem = nullptr;
  if (posix_memalign(&mem, static_cast<size_t>(page), rounded) != 0) {
    throw Napi::Error::New(env, "posix_memalign: out of memory");
  }
  std::memset(mem, 0, rounded);
  napi_value ab;
  if (napi_create_external_arraybuffer(env, mem, size, FreeAlignedBuffer, nullptr, &ab) != napi_ok) {
    std::free(mem);
    throw Napi::Error::New(env, "cannot wrap an aligned buffer");
  }
  return Napi::Value(env, ab);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ring = RingWrap::Define(env);
  auto* data = new InstanceData();
  data->ring_ctor = Napi::Persistent(ring);
  env.SetInstanceData<InstanceData>(data);  // freed by Node when the environment exits
  exports.Set("Ring", ring);
  exports.Set("Queue", QueueWrap::Define(env));
  exports.Set("allocateAligned", Napi::Function::New(env, AllocateAligned, "allocateAligned"));
  exports.Set("CDB_STRIDE", Napi::Number::New(env, kCdbStride));
  exports.Set("SENSE_STRIDE", Napi::Number::New(env, kSenseStride));
  exports.Set("RECORD_WORDS", Napi::Number::New(env, kRecordWords));
  exports.Set("STAGE_WORDS", Napi::Number::New(env, kStageWords));
  Napi::Object fields = Napi::Object::New(env);
  const std::pair<const char*, uint32_t> named[] = {
      {"slot", kStageSlot},         {"op", kStageOp},           {"fd", kStageFd},
      {"viaWorker", kStageViaWorker}, {"cdbLength", kStageCdbLen}, {"direction", kStageDirection},
      {"dataLength", kStageDataLen}, {"senseLength", kStageSenseLen}, {"timeoutMs", kStageTimeoutMs},
      {"bufIndex", kStageBufIndex}, {"opNop", static_cast<uint32_t>(kStageNop)},
      {"opCmd", static_cast<uint32_t>(kStageCmd)},
  };
  for (const auto& [name, value] : named) fields.Set(name, Napi::Number::New(env, value));
  fields.Freeze();
  exports.Set("STAGE_FIELDS", fields);
  exports.Set("REAPED_SHIFT", Napi::Number::New(env, kReapedShift));
  exports.Set("SQE_SIZE", Napi::Number::New(env, kSqeSize));
  exports.Set("CQE_SIZE", Napi::Number::New(env, kCqeSize));
  exports.Set("SETUP_SQE128", Napi::Number::New(env, IORING_SETUP_SQE128));
  exports.Set("SETUP_CQE32", Napi::Number::New(env, IORING_SETUP_CQE32));
  exports.Set("SETUP_SINGLE_ISSUER", Napi::Number::New(env, IORING_SETUP_SINGLE_ISSUER));
  exports.Set("SETUP_COOP_TASKRUN", Napi::Number::New(env, IORING_SETUP_COOP_TASKRUN));
  RegisterSgio(env, exports);
  return exports;
}

}  // namespace
}  // namespace scsikit

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return scsikit::Init(env, exports); }

NODE_API_MODULE(scsikit_uring, InitAddon)
