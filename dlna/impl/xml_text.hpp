#pragma once
// Writing XML text: escaping for character data and attribute values, and dropping what XML 1.0
// cannot carry (control characters a tag may hold), so that a written document always parses.
#include <string>
#include <string_view>

namespace sonique::dlna {

// Appends `text` escaped for element content and attribute values (& < > " ' as references),
// without the characters XML 1.0 forbids (C0 controls but tab, newline, return) and with
// invalid UTF-8 bytes replaced by U+FFFD. Throws nothing but std::bad_alloc; any thread.
void append_escaped(std::string& out, std::string_view text);
// The same for element content only: " and ' are left as they are (XML needs them escaped in
// attribute values only). SOAP's out arguments, the Browse Result above all: a DIDL-Lite
// document escaped as text, whose every attribute would otherwise carry two &quot; (a tenth of
// the bytes a control point reads and resolves; minidlna leaves them too).
void append_content_escaped(std::string& out, std::string_view text);
std::string escaped(std::string_view text);

}  // namespace sonique::dlna
