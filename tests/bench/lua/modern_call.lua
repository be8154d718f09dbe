-- A 2026-07-28 tools/call, as a modern client sends it straight to the server.
-- Ids count up as in legacy_call.lua, so that both rows cost wrk the same.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["MCP-Protocol-Version"] = "2026-07-28"
wrk.headers["Mcp-Method"] = "tools/call"
wrk.headers["Mcp-Name"] = "echo"

local next_id = 0
request = function()
    next_id = next_id + 1
    return wrk.format(nil, nil, nil,
        '{"jsonrpc":"2.0","id":' .. next_id .. ',"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello bench"},' ..
        '"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",' ..
        '"io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"wrk","version":"1"}}}}')
end
