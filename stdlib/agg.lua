-- agg: aggregations for tracing and packet scripts (integers only).
--
--   local agg = require("agg")
--   agg.count(t, key [, n])   t[key] = t[key] + n (n defaults to 1); returns the new count
--   agg.top(t [, n])          the n largest entries of a count table (default 10),
--                             as an array of {key = k, count = c}, largest first,
--                             ties in key order (keys compared as strings)
--   agg.log2(v)               the power-of-two bucket of v: 0 for v <= 0, else
--                             the largest k with 2^k <= v, plus 1
--   agg.hist(t, v)            counts v in its log2 bucket of the histogram t
--   agg.total(t)              the sum of the counts in t
local M = {}

function M.count(t, key, n)
  local c = (t[key] or 0) + (n or 1)
  t[key] = c
  return c
end

function M.top(t, n)
  n = n or 10
  local all = {}
  for k, c in pairs(t) do
    all[#all + 1] = { key = k, count = c }
  end
  table.sort(all, function(a, b)
    if a.count ~= b.count then
      return a.count > b.count
    end
    return tostring(a.key) < tostring(b.key)
  end)
  local out = {}
  for i = 1, math.min(n, #all) do
    out[i] = all[i]
  end
  return out
end

function M.log2(v)
  if v <= 0 then
    return 0
  end
  local k = 0
  while v > 1 do
    v = v >> 1
    k = k + 1
  end
  return k + 1
end

function M.hist(t, v)
  return M.count(t, M.log2(v))
end

function M.total(t)
  local sum = 0
  for _, c in pairs(t) do
    sum = sum + c
  end
  return sum
end

return M
