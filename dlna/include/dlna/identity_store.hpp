#pragma once
// The parts of the device identity that do not depend on the client: the stable UUID and the
// friendly name.
#include <string>

#include "core/config.hpp"

namespace sonique::dlna {

// The device UUID kept in <data_dir>/dlna-device-uuid: read when the file holds a valid UUID,
// else a random (version 4) one is made and written there (data_dir is created when missing).
// When the file cannot be written, a UUID derived from the host name and data_dir is used, so
// that it still stays the same across restarts (logged once). Never throws for I/O; any thread.
std::string load_or_create_device_uuid(const std::string& data_dir);

// config.dlna_name, or "Sonique on <hostname>". Never throws; any thread.
std::string friendly_name(const Config& config);

// True for the canonical 8-4-4-4-12 lowercase hexadecimal form.
bool is_uuid(const std::string& text);

}  // namespace sonique::dlna
