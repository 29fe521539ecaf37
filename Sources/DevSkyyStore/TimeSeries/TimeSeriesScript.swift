/// The Lua script that writes samples and keeps the rollups, run by Redis atomically (`EVALSHA`).
///
/// One call takes a chunk of series. For each series: `KEYS` holds four keys (raw, 1m, 1h, 1d) and `ARGV`
/// holds, after the shared head (`now_ms`, then `retention_ms` and `ttl_s` for raw, 1m, 1h and 1d, then
/// `rollups` 1|0), `maintain` 1|0, the sample count `n` and `n` pairs of timestamp (ms) and value text.
///
/// Per sample: the raw member `ms:value` is added; a stored sample with the same timestamp is replaced,
/// and one identical to it is skipped (so replaying a batch twice changes nothing). A call never holds one
/// series' timestamp twice (`SeriesBatch` keeps the last), so raw members are added in one ZADD per series.
///
/// Rollups (`start:count:sum:min:max:last:lastMs`) cascade: a sample updates its minute bucket; the newest
/// minute of a series is *open*, and is folded into its hour and day buckets when a later minute begins, so
/// a steady series touches its hour and day once a minute instead of once per sample. Hours and days
/// therefore hold every minute but the open one; readers add it (see `TimeSeriesReader`). A late sample for
/// a closed minute updates its minute, hour and day directly; `last` follows the greatest timestamp. A
/// replaced value rebuilds its buckets from the raw samples while they are inside the raw window, and is
/// adjusted in place (sum, min, max, last) after that. Each bucket is read once per call and written once.
/// With `maintain`, samples and buckets older than their retention are removed (never the open minute)
/// and the keys' TTLs refreshed: the writer asks for it once a minute per series, not on every write.
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
                local format, find, sub, match = string.format, string.find, string.sub, string.match
                local call = redis.call

                -- The shortest of %.15g..%.17g that reads back exactly (integers plainly).
                local function fmt(x)
                  if x == math.floor(x) and x > -1e15 and x < 1e15 then return format('%d', x) end
                  local s = format('%.15g', x)
                  if tonumber(s) == x then return s end
                  s = format('%.16g', x)
                  if tonumber(s) == x then return s end
                  return format('%.17g', x)
                end

                -- Buckets keep min, max and last as the text they arrived in, so only the sum is ever formatted.
                local function empty()
                  return { count = 0, sum = 0, lastMs = -math.huge }
                end

                -- Adds one new sample to a bucket; `last` follows the greatest timestamp.
                local function add(b, ts, v, stamp, text)
                  b.count = b.count + 1
                  b.sum = b.sum + v
                  if b.min == nil or v < b.min then b.min, b.minT = v, text end
                  if b.max == nil or v > b.max then b.max, b.maxT = v, text end
                  if ts >= b.lastMs then b.last, b.lastT, b.lastMs, b.lastMsT = v, text, ts, stamp end
                end

                -- A bucket member: start:count:sum:min:max:last:lastMs.
                local function parse(member)
                  local _, c, sum, mn, mx, last, lastMs = match(member, '^([^:]+):([^:]+):([^:]+):([^:]+):([^:]+):([^:]+):([^:]+)$')
                  return { count = tonumber(c), sum = tonumber(sum), min = tonumber(mn), minT = mn, max = tonumber(mx), maxT = mx,
                    last = tonumber(last), lastT = last, lastMs = tonumber(lastMs), lastMsT = lastMs }
                end

                local function encode(start, b)
                  return format('%d', start) .. ':' .. b.count .. ':' .. fmt(b.sum) .. ':' .. b.minT .. ':' .. b.maxT .. ':' .. b.lastT ..
                    ':' .. b.lastMsT
                end

                -- Folds bucket `b` (a closed minute) into bucket `into`.
                local function merge(into, b)
                  into.count = into.count + b.count
                  into.sum = into.sum + b.sum
                  if into.min == nil or b.min < into.min then into.min, into.minT = b.min, b.minT end
                  if into.max == nil or b.max > into.max then into.max, into.maxT = b.max, b.maxT end
                  if b.lastMs >= into.lastMs then into.last, into.lastT, into.lastMs, into.lastMsT = b.last, b.lastT, b.lastMs, b.lastMsT end
                end

                -- The aggregate of the raw samples in [start, start + width), leaving out [skip, skip + 60000) (the open minute).
                local function fromRaw(raw, start, width, skip)
                  local b = empty()
                  for _, m in ipairs(call('ZRANGE', raw, format('%d', start), format('%d', start + width - 1), 'BYSCORE')) do
                    local colon = find(m, ':', 1, true)
                    local stamp, text = sub(m, 1, colon - 1), sub(m, colon + 1)
                    local ts, v = tonumber(stamp), tonumber(text)
                    if v and (skip == nil or ts < skip or ts >= skip + 60000) then add(b, ts, v, stamp, text) end
                  end
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
                      local found = call('ZRANGE', KEYS[4 * s + 1 + r], format('%d', start), format('%d', start), 'BYSCORE')[1]
                      if found then b = parse(found) else b = empty() end
                      b.old = found
                      buckets[r][start] = b
                    end
                    return b
                  end
                  -- The open minute: the newest 1m bucket, not yet folded into its hour and day.
                  local open = nil
                  if rollups and n > 0 then
                    local newest = call('ZRANGE', KEYS[4 * s + 2], -1, -1, 'WITHSCORES')
                    if newest[1] then
                      open = parse(newest[1])
                      open.old = newest[1]
                      open.start = tonumber(newest[2])
                      buckets[1][open.start] = open
                    end
                  end
                  -- Raw members are removed and added once per series, after the loop. The writer never puts one
                  -- timestamp twice into a call, so a duplicate can only be a sample stored by an earlier call.
                  local adds, removes = {}, {}
                  local stored = nil
                  if not rollups and n > 0 then
                    -- Without buckets to tell what is new, read what is stored over the call's time span once.
                    local low, high = math.huge, -math.huge
                    for i = 0, n - 1 do
                      local t = tonumber(ARGV[a + 2 * i])
                      if t < low then low = t end
                      if t > high then high = t end
                    end
                    stored = {}
                    for _, m in ipairs(call('ZRANGE', raw, format('%d', low), format('%d', high), 'BYSCORE')) do
                      stored[sub(m, 1, find(m, ':', 1, true) - 1)] = m
                    end
                  end
                  for i = 1, n do
                    local stamp, text = ARGV[a], ARGV[a + 1]
                    local ts, v = tonumber(stamp), tonumber(text)
                    local member = stamp .. ':' .. text
                    a = a + 2
                    local replaced = nil
                    local skip = false
                    if rollups and v then
                      local minute = ts - ts % widths[1]
                      -- Only a sample at or before the newest of its minute can collide with a stored one.
                      if open and minute <= open.start and ts <= bucket(1, minute).lastMs then
                        local old = call('ZRANGE', raw, stamp, stamp, 'BYSCORE')[1]
                        if old == member then
                          skip = true
                        elseif old then
                          removes[#removes + 1] = old
                          replaced = tonumber(sub(old, find(old, ':', 1, true) + 1))
                        end
                      end
                    elseif stored then
                      local old = stored[stamp]
                      if old == member then
                        skip = true
                      elseif old then
                        removes[#removes + 1] = old
                      end
                    end
                    if not skip then
                      adds[#adds + 1] = stamp
                      adds[#adds + 1] = member
                      written = written + 1
                      if rollups and v then
                        local minute = ts - ts % widths[1]
                        if replaced ~= nil then
                          -- A replaced value: buckets inside the raw window are rebuilt from the raw samples after
                          -- the loop; older ones are adjusted in place (hours and days only if the minute is closed).
                          for r = 1, 3 do
                            local start = ts - ts % widths[r]
                            local b = bucket(r, start)
                            if start >= rawFloor then
                              b.rebuild = true
                            end
                            -- The open minute is also adjusted at once: a later minute in this call may fold it into
                            -- an hour or day too old to rebuild.
                            if start < rawFloor and (r == 1 or minute ~= open.start) or r == 1 and minute == open.start then
                              b.sum = b.sum - replaced + v
                              if v < b.min then b.min, b.minT = v, text end
                              if v > b.max then b.max, b.maxT = v, text end
                              if b.lastMs == ts then b.last, b.lastT = v, text end
                            end
                          end
                        elseif open == nil or minute > open.start then
                          -- A new minute: the open one is closed, folded into its hour and day, and this one opens.
                          if open then
                            merge(bucket(2, open.start - open.start % widths[2]), open)
                            merge(bucket(3, open.start - open.start % widths[3]), open)
                          end
                          -- Nothing is stored for a minute newer than the newest bucket.
                          open = empty()
                          open.start = minute
                          buckets[1][minute] = open
                          add(open, ts, v, stamp, text)
                        elseif minute == open.start then
                          add(open, ts, v, stamp, text)
                        else
                          -- A late sample for a closed minute goes into its hour and day directly.
                          for r = 1, 3 do add(bucket(r, ts - ts % widths[r]), ts, v, stamp, text) end
                        end
                      end
                    end
                  end
                  if #removes > 0 then call('ZREM', raw, unpack(removes)) end
                  -- In slices: unpack is bounded by Lua's C stack.
                  for first = 1, #adds, 400 do
                    call('ZADD', raw, unpack(adds, first, math.min(first + 399, #adds)))
                  end
                  for r = 1, 3 do
                    local key = KEYS[4 * s + 1 + r]
                    for start, b in pairs(buckets[r]) do
                      local old = b.old
                      if b.rebuild then
                        -- Hours and days never hold the open minute.
                        b = fromRaw(raw, start, widths[r], r > 1 and open and open.start or nil)
                      end
                      if b.count > 0 then
                        local member = encode(start, b)
                        if member ~= old then
                          if old then call('ZREM', key, old) end
                          call('ZADD', key, start, member)
                        end
                      elseif old then
                        call('ZREM', key, old)
                      end
                    end
                  end
                  if maintain then
                    for r = 1, (rollups and 4 or 1) do
                      local key = KEYS[4 * s + r]
                      local floor = now - retention[r]
                      -- The open minute stays until the next minute folds it into its hour and day.
                      if r == 2 and open and open.start < floor then floor = open.start end
                      call('ZREMRANGEBYSCORE', key, '-inf', '(' .. format('%d', floor))
                      call('EXPIRE', key, ttl[r])
                    end
                  end
                end
                return written
        """#
}
