#pragma once
// The statements of UserService, and the reading of a user row (columns kUserColumns).
#include "db/result.hpp"
#include "services/users.hpp"

namespace sonique::services::detail {

// $1..$10: name, password_enc, email, then the roles in UserRoles' order.
extern const char* const kInsertUserSql;
extern const char* const kListUsersSql;
// $1: name. The user's columns, then password_enc.
extern const char* const kFindUserSql;
// $1 name, $2 password_enc, $3 email, $4.. roles (NULL keeps a value). One row: (users found,
// refused because it would demote the last administrator).
extern const char* const kUpdateUserSql;
// $1 name. One row: (users found, refused because it is the last administrator).
extern const char* const kDeleteUserSql;
// $1 name, $2 key id, $3 secret hash. A row when the user exists.
extern const char* const kInsertApiKeySql;
extern const char* const kListApiKeysSql;
extern const char* const kRevokeApiKeySql;
// $1 key id. The owner's columns, the secret's hash, whether last_used_at is due a write.
extern const char* const kFindApiKeySql;
// $1 key id. Writes last_used_at unless it was written less than a minute ago.
extern const char* const kTouchApiKeySql;

// Reads the first 10 columns of a row as a User.
User user_from_row(const db::Result& res, int row);

}  // namespace sonique::services::detail
