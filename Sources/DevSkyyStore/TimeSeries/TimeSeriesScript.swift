/// The Lua script that writes samples and keeps the rollups, run by Redis atomically (`EVALSHA`).
///
/// One call takes a chunk of series. For each series: `KEYS` holds four keys (raw, 1m, 1h, 1d) and `ARGV`
/// holds, after the shared head (`now_ms`, then `retention_ms` and `ttl_s` for raw, 1m, 1h and 1d, then
/// `rollups` 1|0), `maintain` 1|0, the sample count `n` and `n` pairs of timestamp (ms) and value text.
///
/// Per sample: the raw member `ms:value` is added; a stored sample with the same timestamp is replaced,
/// and one identical to it is skipped (so replaying a batch twice changes nothing). Each rollup bucket
/// (`start:count:sum:min:max:last:lastMs`) is read once per call, updated in memory and written back once;
/// `last` follows the greatest timestamp, so a late sample lands in its bucket without becoming `last`.
/// A replaced value rebuilds the bucket from the raw samples while the whole bucket is inside the raw
/// window, and is adjusted in place (sum, min, max, last) after that. With `maintain`, samples and buckets
/// older than their retention are removed and the keys' TTLs refreshed: the writer asks for it once a
/// minute per series, not on every write.
enum TimeSeriesScript {
    static let source = #"""
        -- KEYS: per series four keys: raw, 1m, 1h, 1d.
        -- ARGV: now_ms, then per resolution (raw, 1m, 1h, 1d) retention_ms and ttl_s, then rollups (1|0), then per
        -- series: maintain (1|0), n, and n pairs of timestamp_ms and value text.
        local now = tonumber(ARGV[1])
        local retention, ttl = {}, {}
        for r = 1, 4 do
          retention[r] = tonumber(ARGV[2 * r])
          ttl[r] = ARGV[2 * r + 1]
        end
        local rollups = ARGV[10] == '1'
        local widths = { 60000, 3600000, 86400000 }
        local rawFloor = now - retention[1]

        local function fmt(x)
          if x == math.floor(x) and x > -1e15 and x < 1e15 then return string.format('%d', x) end
          for _, p in ipairs({ '%.15g', '%.16g' }) do
            local s = string.format(p, x)
            if tonumber(s) == x then return s end
          end
          return string.format('%.17g', x)
        end

        -- A bucket member: start:count:sum:min:max:last:lastMs.
        local function parse(member)
          local s, c, sum, mn, mx, last, lastMs =
            string.match(member, '^([^:]+):([^:]+):([^:]+):([^:]+):([^:]+):([^:]+):([^:]+)$')
          return { member = member, count = tonumber(c), sum = tonumber(sum), min = tonumber(mn), max = tonumber(mx),
            last = tonumber(last), lastMs = tonumber(lastMs) }
        end

        local function encode(start, b)
          return start .. ':' .. b.count .. ':' .. fmt(b.sum) .. ':' .. fmt(b.min) .. ':' .. fmt(b.max) .. ':' ..
            fmt(b.last) .. ':' .. string.format('%d', b.lastMs)
        end

        -- Adds one new sample to a bucket; `last` follows the greatest timestamp.
        local function add(b, ts, v)
          b.count = b.count + 1
          b.sum = b.sum + v
          b.min = b.min and math.min(b.min, v) or v
          b.max = b.max and math.max(b.max, v) or v
          if ts >= b.lastMs then b.last, b.lastMs = v, ts end
        end

        -- The aggregate of the raw samples in [start, start + width).
        local function fromRaw(raw, start, width)
          local members = redis.call('ZRANGE', raw, start, start + width - 1, 'BYSCORE')
          if #members == 0 then return nil end
          local b = { count = 0, sum = 0, lastMs = -math.huge }
          for _, m in ipairs(members) do
            local colon = string.find(m, ':', 1, true)
            local ts, v = tonumber(string.sub(m, 1, colon - 1)), tonumber(string.sub(m, colon + 1))
            if v then add(b, ts, v) end
          end
          if b.count == 0 then return nil end
          return b
        end

        local written = 0
        local a = 11
        for s = 0, #KEYS / 4 - 1 do
          local raw = KEYS[4 * s + 1]
          local maintain = ARGV[a] == '1'
          local n = tonumber(ARGV[a + 1])
          a = a + 2
          -- Buckets touched by this call, read once and written once: buckets[r][start].
          local buckets = { {}, {}, {} }
          local function bucket(r, start)
            local b = buckets[r][start]
            if b == nil then
              local found = redis.call('ZRANGE', KEYS[4 * s + 1 + r], start, start, 'BYSCORE')
              if #found > 0 then b = parse(found[1]) else b = { count = 0, sum = 0, lastMs = -math.huge } end
              b.old = found[1]
              buckets[r][start] = b
            end
            return b
          end
          for i = 1, n do
            local stamp, text = ARGV[a], ARGV[a + 1]
            local ts = tonumber(stamp)
            local member = stamp .. ':' .. text
            local v = tonumber(text)
            a = a + 2
            local replaced = nil
            local skip = false
            if rollups and v then
              local minute = bucket(1, ts - ts % widths[1])
              -- Only a sample at or before the newest in its minute can collide with a stored one.
              if ts <= minute.lastMs then
                local old = redis.call('ZRANGE', raw, stamp, stamp, 'BYSCORE')
                if #old > 0 then
                  if old[1] == member then
                    skip = true
                  else
                    redis.call('ZREMRANGEBYSCORE', raw, stamp, stamp)
                    local colon = string.find(old[1], ':', 1, true)
                    replaced = tonumber(string.sub(old[1], colon + 1))
                  end
                end
              end
            elseif not rollups then
              redis.call('ZREMRANGEBYSCORE', raw, stamp, stamp)
            end
            if not skip then
              redis.call('ZADD', raw, stamp, member)
              written = written + 1
              if rollups and v then
                for r = 1, 3 do
                  local start = ts - ts % widths[r]
                  local b = bucket(r, start)
                  if replaced ~= nil then
                    -- A replaced value: rebuilt from the raw samples when the whole bucket is still in the raw window.
                    if start >= rawFloor then
                      b.rebuild = true
                    else
                      b.sum = b.sum - replaced + v
                      b.min = math.min(b.min, v)
                      b.max = math.max(b.max, v)
                      if b.lastMs == ts then b.last = v end
                    end
                  else
                    add(b, ts, v)
                  end
                end
              end
            end
          end
          for r = 1, 3 do
            local key = KEYS[4 * s + 1 + r]
            for start, b in pairs(buckets[r]) do
              local old = b.old
              if b.rebuild then b = fromRaw(raw, start, widths[r]) or b end
              if b.count > 0 then
                local member = encode(start, b)
                if member ~= old then
                  if old then redis.call('ZREM', key, old) end
                  redis.call('ZADD', key, start, member)
                end
              end
            end
          end
          if maintain then
            for r = 1, (rollups and 4 or 1) do
              local key = KEYS[4 * s + r]
              redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (now - retention[r]))
              redis.call('EXPIRE', key, ttl[r])
            end
          end
        end
        return written
        """#
}
