-- A legacy (2025-11-25) tools/call inside a session, as a legacy client sends it.
-- Each request has an id of its own: a session refuses a second request under
-- an id still under way, and a fast refusal must not count as throughput.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
wrk.headers["Mcp-Session-Id"] = os.getenv("MCP_SESSION")

local next_id = 0
request = function()
    next_id = next_id + 1
    return wrk.format(nil, nil, nil,
        '{"jsonrpc":"2.0","id":' .. next_id .. ',"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello bench"}}}')
end
