/// The Lua script behind `RedisRateLimits`: `RateLimitState`'s GCRA, in the same integer units, run atomically in Redis
/// so that every daemon on one Redis counts against one bucket.
///
/// `KEYS`: one bucket per identity and policy. `ARGV`: `count`, the period in ms, `attempt` or `peek`, and the time in
/// unix ms, or `""` for Redis's own clock (`TIME`). A bucket is the string `debt:last:count:period_ms`; a bucket kept
/// under another limit (a reload changed it) starts over, as `RateLimiterTable` does. Answers one `{allowed, debt}` pair
/// per key, `debt` after the request (counted if allowed); `peek` counts nothing and writes nothing. A refused attempt
/// still keeps what drained meanwhile, as `RateLimitState` does, so that a clock reading older than it (Redis's clock
/// stepped back) drains nothing twice.
enum RateLimitScript {
    static let source = #"""
        local count = tonumber(ARGV[1])
        local cost = tonumber(ARGV[2])
        local counting = ARGV[3] == 'attempt'
        local now = tonumber(ARGV[4])
        if not now then
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local capacity = count * cost
        local limit = string.format('%d:%d', count, cost)
        local answers = {}
        for i, key in ipairs(KEYS) do
          local debt, last, changed = 0, now, true
          local stored = redis.call('GET', key)
          if stored then
            local d, l, kept = string.match(stored, '^(%d+):(%-?%d+):(%d+:%d+)$')
            if d and kept == limit then
              debt, last = tonumber(d), tonumber(l)
              -- A clock behind the last reading drains nothing and is not remembered: it never grants extra requests.
              changed = now > last
              if changed then
                local drained = (now - last) * count
                if drained >= debt then debt = 0 else debt = debt - drained end
                last = now
              end
            end
          end
          local allowed = debt <= capacity - cost
          if allowed then debt = debt + cost end
          if counting and (allowed or changed) then
            -- Kept until the bucket is full again (debt / count ms, rounded up): a full bucket says nothing.
            local ttl = math.floor((debt + count - 1) / count)
            redis.call('SET', key, string.format('%d:%d:', debt, last) .. limit, 'PX', string.format('%d', ttl))
          end
          answers[i] = { allowed and 1 or 0, debt }
        end
        return answers
        """#
}
