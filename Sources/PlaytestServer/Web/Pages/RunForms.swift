/// "Test this map" and "Train on this map": short forms with defaults filled in. They open without
/// JavaScript (`<details>`); `/app.js` posts them as JSON to the testing and training APIs and
/// opens the new run's page.
struct RunForms {
    var wadID: String
    /// The map inside the WAD the runs play.
    var map: String
    /// The VizDoom scenario of a built-in scenario map (its own episode time and buttons).
    var scenario: String?
    var checkpoints: [CheckpointChoice]

    func html() -> HTML {
        el("section", .cls("run-forms"), .label("Start a run")) {
            testForm()
            trainForm()
        }
    }

    private func testForm() -> HTML {
        el("details", .cls("run-form needs-user"), .id("test-details")) {
            el("summary", .cls("button")) { "Test this map" }
            el("form", .id("test-form"), .data("start", "testing"), .data("map-id", wadID), .data("map", map)) {
                field("Agent", id: "test-agent") {
                    el("select", .id("test-agent"), .name("agent")) {
                        if scenario == nil { option("navigator", "navigator (plays the planner's route to the exit)", selected: true) }
                        option("explorer", "explorer (scripted, walks the map)", selected: scenario != nil)
                        option("random", "random")
                        option("dqn", "dqn (trained checkpoint)")
                    }
                }
                if scenario == nil {
                    el("div", .cls("field checkbox")) {
                        el("input", .type("checkbox"), .id("test-god-mode"), .name("god_mode"), .value("true"))
                        el("label", .forID("test-god-mode")) { "God mode (navigation only: can the layout be finished?)" }
                    }
                }
                field("Checkpoint (for dqn)", id: "test-checkpoint") {
                    el("select", .id("test-checkpoint"), .name("checkpoint")) {
                        for choice in checkpoints { option(choice.value, choice.label) }
                    }
                }
                field("Episodes", id: "test-episodes") {
                    number(id: "test-episodes", name: "episodes", value: "5", min: "1", max: "100")
                }
                field("Episode time (seconds)", id: "test-episode-time") {
                    number(id: "test-episode-time", name: "episode_time", value: scenario == nil ? "600" : "", min: "1", max: "3600",
                           placeholder: scenario == nil ? nil : "the scenario's own")
                }
                skill(id: "test-skill")
                el("p", .cls("form-error"), .role("alert"), Attribute("hidden", ""))
                el("button", .type("submit")) { "Start test" }
            }
        }
    }

    private func trainForm() -> HTML {
        el("details", .cls("run-form needs-user"), .id("train-details")) {
            el("summary", .cls("button secondary")) { "Train on this map" }
            el("form", .id("train-form"), .data("start", "training"), .data("map-id", wadID), .data("map", map)) {
                field("Iterations", id: "train-iterations") {
                    number(id: "train-iterations", name: "max_iterations", value: "5000", min: "100", max: "10000000")
                }
                field("Action groups", id: "train-actions") {
                    el("input", .type("text"), .id("train-actions"), .name("action_combinations"),
                       .value(scenario == nil ? "move_fb;turn_lr;attack" : "turn_lr;attack"), Attribute("required", ""),
                       Attribute("autocomplete", "off"), Attribute("spellcheck", "false"))
                }
                field("Episode time (seconds)", id: "train-episode-time") {
                    number(id: "train-episode-time", name: "episode_time", value: scenario == nil ? "60" : "", min: "1", max: "3600",
                           placeholder: scenario == nil ? nil : "the scenario's own")
                }
                skill(id: "train-skill")
                el("p", .cls("form-error"), .role("alert"), Attribute("hidden", ""))
                el("button", .type("submit")) { "Start training" }
            }
        }
    }

    private func skill(id: String) -> HTML {
        field("Skill", id: id) {
            el("select", .id(id), .name("skill")) {
                option("1", "1 · I'm too young to die")
                option("2", "2 · Hey, not too rough")
                option("3", "3 · Hurt me plenty", selected: true)
                option("4", "4 · Ultra-Violence")
                option("5", "5 · Nightmare!")
            }
        }
    }

    private func field(_ label: String, id: String, @HTMLBuilder control: () -> HTML) -> HTML {
        el("div", .cls("field")) {
            el("label", .forID(id)) { label }
            control()
        }
    }

    private func number(id: String, name: String, value: String, min: String, max: String, placeholder: String? = nil) -> HTML {
        el("input", .type("number"), .id(id), .name(name), .value(value.isEmpty ? nil : value), Attribute("min", min), Attribute("max", max),
           Attribute("step", "1"), Attribute("placeholder", placeholder), Attribute("inputmode", "numeric"))
    }

    private func option(_ value: String, _ label: String, selected: Bool = false) -> HTML {
        el("option", .value(value), Attribute.flag("selected", selected)) { label }
    }
}
