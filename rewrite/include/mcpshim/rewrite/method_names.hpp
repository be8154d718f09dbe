#pragma once
// The JSON-RPC method names the shim and the analyzer act on, in one place:
// a typo in one of them would be a method the code silently never sees.
// (Char arrays, so each converts to std::string and json where a literal would.)
namespace mcpshim::rewrite::method_name {

// Legacy session lifecycle (the modern era removed initialize).
inline constexpr char initialize[] = "initialize";
inline constexpr char ping[] = "ping";
inline constexpr char logging_set_level[] = "logging/setLevel";

// Both eras.
inline constexpr char tools_call[] = "tools/call";
inline constexpr char tools_list[] = "tools/list";
inline constexpr char resources_list[] = "resources/list";
inline constexpr char resources_read[] = "resources/read";
inline constexpr char resources_subscribe[] = "resources/subscribe";
inline constexpr char resources_unsubscribe[] = "resources/unsubscribe";
inline constexpr char prompts_list[] = "prompts/list";
inline constexpr char prompts_get[] = "prompts/get";

// Tasks.
inline constexpr char tasks_get[] = "tasks/get";
inline constexpr char tasks_list[] = "tasks/list";
inline constexpr char tasks_cancel[] = "tasks/cancel";
inline constexpr char tasks_result[] = "tasks/result";
inline constexpr char tasks_update[] = "tasks/update";

// 2026-07-28 only.
inline constexpr char server_discover[] = "server/discover";
inline constexpr char subscriptions_listen[] = "subscriptions/listen";

// Server to client (legacy streams; input rounds in the modern era).
inline constexpr char sampling_create_message[] = "sampling/createMessage";
inline constexpr char elicitation_create[] = "elicitation/create";
inline constexpr char roots_list[] = "roots/list";

// Notifications.
inline constexpr char notification_cancelled[] = "notifications/cancelled";
inline constexpr char notification_progress[] = "notifications/progress";
inline constexpr char notification_message[] = "notifications/message";
inline constexpr char notification_resource_updated[] = "notifications/resources/updated";
inline constexpr char notification_task_status[] = "notifications/tasks/status";
inline constexpr char notification_subscriptions_acknowledged[] = "notifications/subscriptions/acknowledged";
inline constexpr char notification_elicitation_complete[] = "notifications/elicitation/complete";

}  // namespace mcpshim::rewrite::method_name

namespace mcpshim {
namespace method_name = rewrite::method_name;  // the same names from every layer
}  // namespace mcpshim
