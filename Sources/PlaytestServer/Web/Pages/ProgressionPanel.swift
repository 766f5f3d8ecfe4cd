/// "Can it be finished?" on a map's page: the planner's verdict and route at a chosen skill. Planning a big map
/// takes seconds the first time, so the page asks for it after it has loaded (`/app.js` fetches `data-url`, fills
/// in the verdict and the steps, then shows the picture with the route); without JavaScript the link shows the JSON.
struct ProgressionPanel {
    var wadID: String
    var map: String

    func html() -> HTML {
        let api = "/api/v1/maps/\(wadID)/maps/\(map)"
        return el("section", .cls("progression"), .id("progression"), .data("url", api + "/progression"),
                  .data("render", api + "/render.svg?layers=floors,walls,route&width=960"),
                  Attribute("aria-labelledby", "progression-title"), Attribute("aria-live", "polite")) {
            el("h2", .id("progression-title")) { "Can it be finished?" }
            el("div", .cls("field")) {
                el("label", .forID("progression-skill")) { "Skill " }
                el("select", .id("progression-skill")) {
                    for skill in 1...5 { el("option", .value(String(skill)), Attribute.flag("selected", skill == 3)) { String(skill) } }
                }
            }
            el("p", .cls("verdict-summary")) {
                el("a", .href(api + "/progression?skill=3")) { "The planner's verdict and route (JSON)" }
            }
            el("ol", .cls("progression-steps"), Attribute("hidden", "")) {}
            el("figure", .cls("progression-route"), Attribute("hidden", "")) {
                el("img", Attribute("alt", "The planned route on the map"), Attribute("loading", "lazy"))
            }
        }
    }
}
