// The one place where errors become HTTP answers.
#include <httplib.h>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "server/http_server.hpp"

namespace sonique::server {
namespace {

int status_for(ErrorCode code) {
    switch (code) {
        case ErrorCode::kBadRequest:
            return 400;
        case ErrorCode::kNotFound:
            return 404;
        case ErrorCode::kConflict:
            return 409;
        case ErrorCode::kInvalid:
            return 422;
        case ErrorCode::kTooLarge:
            return 413;
        case ErrorCode::kUnavailable:
            return 503;
        case ErrorCode::kInternal:
            return 500;
    }
    return 500;
}

}  // namespace

void write_detail(httplib::Response& res, int status, const std::string& detail) {
    res.status = status;
    res.set_content(dump_json(Json{{"detail", detail}}), "application/json");
}

void write_current_exception(httplib::Response& res) {
    res.headers.erase("ETag");
    try {
        throw;
    } catch (const ValidationError& e) {
        Json list = Json::array();
        for (const auto& issue : e.issues()) {
            Json loc = Json::array();
            for (const auto& part : issue.loc) {
                bool numeric =
                    !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
                if (numeric && part.size() < 10)
                    loc.push_back(std::stoi(part));
                else
                    loc.push_back(part);
            }
            list.push_back({{"loc", loc}, {"msg", issue.msg}, {"type", issue.type}});
        }
        res.status = 422;
        res.set_content(dump_json(Json{{"detail", list}}), "application/json");
    } catch (const Error& e) {
        int status = status_for(e.code());
        if (status == 500) {
            log::error("internal error: ", e.what());
            write_detail(res, 500, "Internal Server Error");
            return;
        }
        if (status == 422) {  // the list form, also for values refused by the database
            Json item{{"loc", Json::array({"body"})}, {"msg", e.detail()}, {"type", "value_error"}};
            res.status = 422;
            res.set_content(dump_json(Json{{"detail", Json::array({item})}}), "application/json");
            return;
        }
        write_detail(res, status, e.detail());
        if (status == 503) res.set_header("Retry-After", "1");
    } catch (const std::exception& e) {
        log::error("unhandled exception: ", e.what());
        write_detail(res, 500, "Internal Server Error");
    } catch (...) {
        log::error("unhandled non-standard exception");
        write_detail(res, 500, "Internal Server Error");
    }
}

}  // namespace sonique::server
