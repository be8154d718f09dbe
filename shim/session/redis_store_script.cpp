#include "session/redis_store_script.hpp"

#include <openssl/sha.h>

#include <cstdio>

namespace mcpshim::session {

namespace {

// Keys of one session (P is the prefix, id the session id):
//   P s:id   hash   e "1" once ended, l log level, b bytes kept, n task counter
//   P u:id   list   subscribed URIs, in order
//   P t:id   hash   task id -> task record (JSON, opaque here)
//   P tc:id  hash   task id -> the legacy Task as answered to tasks/cancel
//   P tb:id  hash   task id -> bytes it costs against --max-session-bytes
//   P to:id  zset   task id by the order handed out
//   P tf:id  zset   task id by forget_at (only those that have one)
// every one expiring with the session token. Indexes over all sessions:
//   P all    zset   session id by token expiry (--max-session-entries)
//   P own    hash   session id -> principal
//   P pr:X   zset   principal X's session ids, oldest first (--max-entries-per-principal)
//   P order  counter for pr:X
// Resumable SSE streams (the id is the stream's, not a session's):
//   P r:id   hash   sid, owner (instance), done "1", ids (JSON array of request ids), bytes
//   P re:id  list   "seq\nevent data", oldest first
// expiring --replay-ttl-ms after the last event; each event and the end are
// published on P replay as "origin\nstream". An instance says it lives by
// P alive:instance (op beat), which expires when it stops.
// HTTP+SSE streams:
//   P c:id   hash   owner (instance), principal; expiring with the session
// a POST for one is published on P i:owner as "origin\nid\npayload".
// A write to what a request loads (ended, level, subscriptions) is published
// on P changed as "origin\nsession\nseq" (P seq counts them), so every
// instance drops what it cached and acknowledges seq on P ack:origin. Such a
// write answers {status, seq, receivers, others}: how many connections heard
// it, and how many other instances beat (P fleet: instance by the Redis time
// in ms its beat lapses, kept by op beat), so the writer knows how many
// acknowledgements to wait for.
constexpr std::string_view script = R"lua(
local op, P, sid, origin, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local function key(kind, id) return P .. kind .. ':' .. (id or sid) end
local S, U, T, TC, TB, TO, TF = key('s'), key('u'), key('t'), key('tc'), key('tb'), key('to'), key('tf')
local ALL, OWN, FLEET = P .. 'all', P .. 'own', P .. 'fleet'

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local published
local function changed()
  local seq = redis.call('INCR', P .. 'seq')
  local receivers = redis.call('PUBLISH', P .. 'changed', origin .. '\n' .. sid .. '\n' .. seq)
  local ms = now_ms()
  local others = redis.call('ZCOUNT', FLEET, ms, '+inf')
  local mine = tonumber(redis.call('ZSCORE', FLEET, origin) or '0')
  if mine >= ms then others = others - 1 end
  published = {seq, receivers, others}
end
-- A write's answer: its status, and what it published.
local function answer(status)
  if not published then return status end
  return {status, published[1], published[2], published[3]}
end

local function drop(id)
  local owner = redis.call('HGET', OWN, id)
  redis.call('DEL', key('s', id), key('u', id), key('t', id), key('tc', id), key('tb', id), key('to', id), key('tf', id))
  redis.call('ZREM', ALL, id)
  redis.call('HDEL', OWN, id)
  if owner then redis.call('ZREM', P .. 'pr:' .. owner, id) end
end

local function ended(id) return redis.call('HGET', key('s', id), 'e') == '1' end

local function sweep()
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', ALL, '-inf', now, 'LIMIT', 0, 128)) do drop(id) end
end

-- The principal's oldest entry (a revocation too only when also_ended).
local function evict_oldest(PR, also_ended)
  for _, id in ipairs(redis.call('ZRANGE', PR, 0, -1)) do
    if also_ended or not ended(id) then drop(id) return true end
  end
  return false
end

-- The entry whose token expires soonest, never a revocation.
local function evict_soonest()
  local start = 0
  while true do
    local ids = redis.call('ZRANGE', ALL, start, start + 99)
    if #ids == 0 then return false end
    for _, id in ipairs(ids) do
      if not ended(id) then drop(id) return true end
    end
    start = start + 100
  end
end

-- Arguments 6..9 of every write: principal, until, max entries, max per principal.
local principal, untilv = ARGV[6], tonumber(ARGV[7])
local max_entries, max_per_principal = tonumber(ARGV[8]), tonumber(ARGV[9])

-- The session's entry, made if need be; a refusal's name when there is no room.
local function slot(must)
  local score = redis.call('ZSCORE', ALL, sid)
  if score and tonumber(score) > now then return nil end
  if score then drop(sid) end
  sweep()
  local PR = P .. 'pr:' .. principal
  if redis.call('ZCARD', PR) >= max_per_principal then
    if not (must and (evict_oldest(PR, false) or evict_oldest(PR, true))) then return 'principal_full' end
  end
  if redis.call('ZCARD', ALL) >= max_entries then
    if not (must and (evict_oldest(PR, false) or evict_soonest())) then return 'store_full' end
  end
  redis.call('ZADD', ALL, untilv, sid)
  redis.call('HSET', OWN, sid, principal)
  redis.call('ZADD', PR, redis.call('INCR', P .. 'order'), sid)
  redis.call('HSET', S, 'b', 0)
  redis.call('EXPIREAT', S, untilv)
  return nil
end

local function keep(...)
  for _, k in ipairs({...}) do redis.call('EXPIREAT', k, untilv) end
end

local function used() return tonumber(redis.call('HGET', S, 'b') or '0') end

local function drop_task(id)
  local bytes = tonumber(redis.call('HGET', TB, id) or '0')
  redis.call('HDEL', T, id)
  redis.call('HDEL', TC, id)
  redis.call('HDEL', TB, id)
  redis.call('ZREM', TO, id)
  redis.call('ZREM', TF, id)
  if bytes ~= 0 and redis.call('EXISTS', S) == 1 then redis.call('HINCRBY', S, 'b', -bytes) end
end

if op == 'load' then
  return {redis.call('HGET', S, 'e'), redis.call('HGET', S, 'l'), redis.call('LRANGE', U, 0, -1)}
elseif op == 'task_get' then
  return {redis.call('HGET', T, ARGV[6]), redis.call('HGET', TC, ARGV[6])}
elseif op == 'task_list' then
  local out = {}
  for _, id in ipairs(redis.call('ZRANGE', TO, 0, -1)) do
    out[#out + 1] = redis.call('HGET', T, id) or ''
    out[#out + 1] = redis.call('HGET', TC, id) or ''
  end
  return out
elseif op == 'task_cancel' then
  local id = ARGV[6]
  if redis.call('HEXISTS', T, id) == 1 then
    redis.call('HSET', TC, id, ARGV[7])
    local ttl = redis.call('PTTL', T)
    if ttl > 0 then redis.call('PEXPIRE', TC, ttl) end
  end
  return 'none'
elseif op == 'task_forget' then
  drop_task(ARGV[6])
  return 'none'
elseif op == 'rbegin' then
  local R = P .. 'r:' .. sid
  redis.call('HSET', R, 'sid', ARGV[6], 'owner', origin, 'ids', ARGV[7], 'bytes', 0)
  redis.call('PEXPIRE', R, ARGV[8])
  return 'none'
elseif op == 'rappend' then
  local R, E = P .. 'r:' .. sid, P .. 're:' .. sid
  local data, max_events, max_bytes, ttl = ARGV[7], tonumber(ARGV[8]), tonumber(ARGV[9]), ARGV[10]
  redis.call('RPUSH', E, ARGV[6] .. '\n' .. data)
  local bytes = redis.call('HINCRBY', R, 'bytes', #data)
  -- The newest event is always kept.
  while redis.call('LLEN', E) > 1 and (redis.call('LLEN', E) > max_events or bytes > max_bytes) do
    local old = redis.call('LPOP', E)
    bytes = redis.call('HINCRBY', R, 'bytes', -(#old - string.find(old, '\n', 1, true)))
  end
  redis.call('PEXPIRE', R, ttl)
  redis.call('PEXPIRE', E, ttl)
  redis.call('PUBLISH', P .. 'replay', origin .. '\n' .. sid)
  return 'none'
elseif op == 'rdone' then
  local R = P .. 'r:' .. sid
  if redis.call('EXISTS', R) == 1 then
    redis.call('HSET', R, 'done', '1')
    redis.call('PEXPIRE', R, ARGV[6])
  end
  redis.call('PUBLISH', P .. 'replay', origin .. '\n' .. sid)
  return 'none'
elseif op == 'rget' then
  local R = P .. 'r:' .. sid
  local meta = redis.call('HMGET', R, 'sid', 'owner', 'done', 'ids')
  local alive = 0
  if meta[2] then alive = redis.call('EXISTS', P .. 'alive:' .. meta[2]) end
  return {meta[1], meta[3], meta[4], alive, redis.call('LRANGE', P .. 're:' .. sid, 0, -1)}
elseif op == 'claim' then
  local C = P .. 'c:' .. sid
  redis.call('HSET', C, 'owner', origin, 'principal', ARGV[6])
  redis.call('EXPIRE', C, ARGV[7])
  return 'none'
elseif op == 'release' then
  redis.call('DEL', P .. 'c:' .. sid)
  return 'none'
elseif op == 'route' then
  local held = redis.call('HMGET', P .. 'c:' .. sid, 'owner', 'principal')
  if not held[1] or held[2] ~= ARGV[6] or redis.call('EXISTS', P .. 'alive:' .. held[1]) == 0 then return 0 end
  redis.call('PUBLISH', P .. 'i:' .. held[1], origin .. '\n' .. sid .. '\n' .. ARGV[7])
  return 1
elseif op == 'unsub' then
  local uri = ARGV[6]
  if redis.call('LREM', U, 0, uri) > 0 and redis.call('EXISTS', S) == 1 then
    redis.call('HINCRBY', S, 'b', -#uri)
  end
  changed()  -- even when nothing changed: the writer waits for it
  return answer('none')
elseif op == 'beat' then
  local ttl = tonumber(ARGV[6])
  local ms = now_ms()
  redis.call('SET', P .. 'alive:' .. origin, '1', 'PX', ttl)
  redis.call('ZADD', FLEET, ms + ttl, origin)
  redis.call('ZREMRANGEBYSCORE', FLEET, '-inf', ms)
  return 'none'
end

-- The writes that may need an entry.
local refused = slot(op == 'end')
if refused then return refused end

if op == 'end' then
  redis.call('DEL', U, T, TC, TB, TO, TF)
  redis.call('HDEL', S, 'l')
  redis.call('HSET', S, 'e', '1', 'b', 0)
  keep(S)
  changed()
elseif op == 'level' then
  redis.call('HSET', S, 'l', ARGV[10])
  keep(S)
  changed()
elseif op == 'sub' then
  local uri, max_subscriptions, max_bytes = ARGV[10], tonumber(ARGV[11]), tonumber(ARGV[12])
  if redis.call('LPOS', U, uri) then changed() return answer('none') end
  if redis.call('LLEN', U) >= max_subscriptions then return 'subscriptions' end
  if used() + #uri > max_bytes then return 'session_bytes' end
  redis.call('RPUSH', U, uri)
  redis.call('HINCRBY', S, 'b', #uri)
  keep(S, U)
  changed()
elseif op == 'task_put' then
  local id, record, bytes, forget_at = ARGV[10], ARGV[11], tonumber(ARGV[12]), tonumber(ARGV[13])
  local max_tasks, max_bytes = tonumber(ARGV[14]), tonumber(ARGV[15])
  if max_tasks == 0 or bytes > max_bytes then return 'session_bytes' end
  if redis.call('HEXISTS', T, id) == 1 then drop_task(id) end
  local function full() return redis.call('ZCARD', TO) >= max_tasks or used() + bytes > max_bytes end
  if full() then
    for _, old in ipairs(redis.call('ZRANGEBYSCORE', TF, 1, now)) do drop_task(old) end
  end
  while redis.call('ZCARD', TO) > 0 and full() do drop_task(redis.call('ZRANGE', TO, 0, 0)[1]) end
  redis.call('HSET', T, id, record)
  redis.call('HSET', TB, id, bytes)
  redis.call('ZADD', TO, redis.call('HINCRBY', S, 'n', 1), id)
  if forget_at > 0 then redis.call('ZADD', TF, forget_at, id) end
  redis.call('HINCRBY', S, 'b', bytes)
  keep(S, T, TB, TO)
  if forget_at > 0 then keep(TF) end
else
  return redis.error_reply('unknown store operation ' .. op)
end
return answer('none')
)lua";

}  // namespace

std::string_view redis_store_script() { return script; }

const std::string& redis_store_script_sha() {
    static const std::string sha = [] {
        unsigned char digest[SHA_DIGEST_LENGTH];
        SHA1(reinterpret_cast<const unsigned char*>(script.data()), script.size(), digest);
        std::string hex;
        char byte[3];
        for (unsigned char d : digest) {
            std::snprintf(byte, sizeof byte, "%02x", d);
            hex += byte;
        }
        return hex;
    }();
    return sha;
}

}  // namespace mcpshim::session
