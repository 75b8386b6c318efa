#include "fake_schema.hpp"

#include "graphql/error.hpp"

namespace sonique::test {
namespace {

using graphql::Kind;
using graphql::ResolveInfo;

Json author(int id) {
    static const char* names[] = {"Ann", "Bob", "Cy"};
    Json a = {{"id", id},
              {"name", names[id - 1]},
              {"nickname", id == 3 ? Json() : Json("n" + std::to_string(id))}};
    return a;
}

}  // namespace

std::shared_ptr<const graphql::Schema> make_fake_schema(FakeCounters& c) {
    auto s = std::make_shared<graphql::Schema>();
    s->add_type("BookFilter", Kind::kInputObject).input_fields = {
        {"year", "Int", std::nullopt, ""}, {"title", "String", Json("x"), ""}};
    s->add_type("Color", Kind::kEnum).enum_values = {"RED", "GREEN"};
    s->add_type("Book", Kind::kObject)
        .add_field("id", "Int!")
        .add_field("title", "String!")
        .add_field("year", "Int")
        .add_field("broken", "String!", "Always null: tests null propagation");
    s->add_type("Author", Kind::kObject)
        .add_field("id", "Int!")
        .add_field("name", "String!")
        .add_field("nickname", "String")
        .add_field("books", "[Book!]!", "", {{"first", "Int", Json(10), ""}},
                   [&c](const ResolveInfo& info) {
                       ++c.books_calls;
                       std::vector<Json> out;
                       int first = info.args["first"].get<int>();
                       for (const Json* p : info.parents) {
                           Json list = Json::array();
                           int id = (*p)["id"].get<int>();
                           for (int k = 0; k < 2 && k < first; ++k)
                               list.push_back({{"id", id * 10 + k},
                                               {"title", "B" + std::to_string(id * 10 + k)},
                                               {"year", 2000 + k}});
                           out.push_back(list);
                       }
                       return out;
                   });
    auto& q = s->add_type("Query", Kind::kObject);
    q.add_field(
        "author", "Author", "", {{"id", "Int!", std::nullopt, ""}}, [&c](const ResolveInfo& info) {
            ++c.author_calls;
            int id = info.args["id"].get<int>();
            return std::vector<Json>(info.parents.size(), id >= 1 && id <= 3 ? author(id) : Json());
        });
    q.add_field("authors", "[Author!]!", "", {{"limit", "Int", Json(10), ""}},
                [](const ResolveInfo& info) {
                    Json list = Json::array();
                    for (int i = 1; i <= 3 && i <= info.args["limit"].get<int>(); ++i)
                        list.push_back(author(i));
                    return std::vector<Json>(info.parents.size(), list);
                });
    q.add_field("echo", "String", "",
                {{"text", "String", std::nullopt, ""},
                 {"n", "Int", std::nullopt, ""},
                 {"list", "[Int!]", std::nullopt, ""},
                 {"filter", "BookFilter", std::nullopt, ""},
                 {"color", "Color", std::nullopt, ""}},
                [](const ResolveInfo& info) {
                    return std::vector<Json>(
                        info.parents.size(),
                        info.args.dump(-1, ' ', false, Json::error_handler_t::replace));
                });
    q.add_field("fail", "String", "", {}, [](const ResolveInfo&) -> std::vector<Json> {
        throw graphql::FieldError("it failed");
    });
    q.add_field("crash", "String", "", {}, [](const ResolveInfo&) -> std::vector<Json> {
        throw std::runtime_error("secret internals");
    });
    return s;
}

}  // namespace sonique::test
