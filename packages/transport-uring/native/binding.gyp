{
  "variables": { "sanitize%": 0 },
  "targets": [
    {
      "target_name": "scsikit_uring",
      "sources": ["addon.cc", "ring.cc", "queue.cc", "sgio.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "_GNU_SOURCE"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra", "-Werror=return-type", "-fvisibility=hidden"],
      "libraries": ["<!(node ../scripts/liburing-link.cjs)"],
      "ldflags": ["-Wl,--as-needed"],
      "conditions": [
        ["sanitize==1", {
          "cflags_cc": ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-O1", "-g"],
          "ldflags": ["-fsanitize=address,undefined"]
        }]
      ]
    }
  ]
}
