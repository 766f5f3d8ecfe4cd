/// Doom II v1.9 and Boom extended linedef types (numbers below 8192), as `LineAction`s.
///
/// Trigger codes: W walk over, S switch (use), G gun (shoot), D manual door (use, moves the back sector),
/// 1 once, R repeatable. Boom's generalized types (8192 and up) are decoded by `BoomGeneralizedSpecials`.
enum DoomSpecials {
    static func action(special: Int, tag: Int) -> LineAction? {
        guard let entry = table[special] else { return nil }
        let (code, effect, lock, name) = entry
        let activation: Activation
        switch code.first {
        case "W": activation = .walk
        case "S", "D": activation = .use
        case "G": activation = .shoot
        default: activation = .none
        }
        let target: SpecialTarget
        if code.first == "D" {
            target = .backSector
        } else {
            switch effect {
            case .teleport, .exit, .cosmetic, .script, .unknown: target = .none
            default: target = .tag(tag)
            }
        }
        var resolved = effect
        if case .teleport(.sectorTag) = effect { resolved = .teleport(.sectorTag(tag)) }
        if case .teleport(.line) = effect { resolved = .teleport(.line(tag)) }
        return LineAction(special: special, activation: activation, repeatable: code.hasSuffix("R"),
                          byPlayer: !monsterOnly.contains(special), target: target, effect: resolved, lock: lock, name: name)
    }

    private typealias Entry = (code: String, effect: SpecialEffect, lock: Lock, name: String)

    private static let monsterOnly: Set<Int> = [125, 126, 264, 265, 266, 267, 268, 269]

    private static let table: [Int: Entry] = {
        var t: [Int: Entry] = [:]
        func add(_ numbers: [(Int, String)], _ effect: SpecialEffect, _ name: String, lock: Lock = .none) {
            for (number, code) in numbers { t[number] = (code, effect, lock, name) }
        }
        let tele = SpecialEffect.teleport(.sectorTag(0)), lineTele = SpecialEffect.teleport(.line(0))
        // Doors
        add([(1, "DR"), (117, "DR")], .door(.raise), "Door open wait close")
        add([(31, "D1"), (118, "D1")], .door(.open), "Door open stay")
        add([(26, "DR")], .door(.raise), "Blue key door", lock: .color(.blue))
        add([(27, "DR")], .door(.raise), "Yellow key door", lock: .color(.yellow))
        add([(28, "DR")], .door(.raise), "Red key door", lock: .color(.red))
        add([(32, "D1")], .door(.open), "Blue key door (stays open)", lock: .color(.blue))
        add([(34, "D1")], .door(.open), "Yellow key door (stays open)", lock: .color(.yellow))
        add([(33, "D1")], .door(.open), "Red key door (stays open)", lock: .color(.red))
        add([(4, "W1"), (90, "WR"), (29, "S1"), (63, "SR"), (108, "W1"), (105, "WR"), (111, "S1"), (114, "SR")],
            .door(.raise), "Door open wait close")
        add([(2, "W1"), (86, "WR"), (103, "S1"), (61, "SR"), (46, "GR"), (109, "W1"), (106, "WR"), (112, "S1"), (115, "SR")],
            .door(.open), "Door open stay")
        add([(3, "W1"), (75, "WR"), (50, "S1"), (42, "SR"), (110, "W1"), (107, "WR"), (113, "S1"), (116, "SR")],
            .door(.close), "Door close")
        add([(16, "W1"), (76, "WR"), (175, "S1"), (196, "SR")], .door(.closeWaitOpen), "Door close wait open")
        add([(99, "SR"), (133, "S1")], .door(.open), "Blue key switch door", lock: .color(.blue))
        add([(134, "SR"), (135, "S1")], .door(.open), "Red key switch door", lock: .color(.red))
        add([(136, "SR"), (137, "S1")], .door(.open), "Yellow key switch door", lock: .color(.yellow))
        // Floors
        add([(38, "W1"), (82, "WR"), (23, "S1"), (60, "SR")], .floor(.lowestNeighbourFloor), "Floor lower to lowest")
        add([(37, "W1"), (84, "WR"), (159, "S1"), (177, "SR")], .floor(.lowestNeighbourFloor), "Floor lower to lowest, change texture")
        add([(19, "W1"), (83, "WR"), (102, "S1"), (45, "SR")], .floor(.highestNeighbourFloor), "Floor lower to highest neighbour floor")
        add([(36, "W1"), (98, "WR"), (71, "S1"), (70, "SR")], .floor(.highestNeighbourFloorPlus8), "Floor lower fast to highest neighbour floor + 8")
        add([(219, "W1"), (220, "WR"), (221, "S1"), (222, "SR")], .floor(.nextLowerNeighbourFloor), "Floor lower to next lower floor")
        add([(5, "W1"), (91, "WR"), (101, "S1"), (64, "SR"), (24, "G1")], .floor(.lowestNeighbourCeiling), "Floor raise to lowest ceiling")
        add([(56, "W1"), (94, "WR"), (55, "S1"), (65, "SR")], .floor(.lowestNeighbourCeilingMinus8), "Floor raise and crush")
        add([(119, "W1"), (128, "WR"), (18, "S1"), (69, "SR"), (130, "W1"), (129, "WR"), (131, "S1"), (132, "SR")],
            .floor(.nextHigherNeighbourFloor), "Floor raise to next higher floor")
        add([(58, "W1"), (92, "WR"), (161, "S1"), (180, "SR")], .floor(.by(24)), "Floor raise 24")
        add([(59, "W1"), (93, "WR"), (160, "S1"), (179, "SR")], .floor(.by(24)), "Floor raise 24, change texture")
        add([(142, "W1"), (147, "WR"), (140, "S1"), (178, "SR")], .floor(.by(512)), "Floor raise 512")
        add([(30, "W1"), (96, "WR"), (158, "S1"), (176, "SR")], .floor(.shortestLowerTexture), "Floor raise by shortest lower texture")
        add([(9, "S1"), (146, "W1"), (155, "WR"), (191, "SR")], .donut, "Donut")
        // Ceilings
        // Doom's own 40 also lowers the floor to the lowest neighbouring floor (p_spec.c); Boom's 151, 166, 186 do not.
        add([(40, "W1")], .combined([.ceiling(.highestNeighbourCeiling), .floor(.lowestNeighbourFloor)]),
            "Ceiling raise to highest ceiling, floor lower to lowest")
        add([(151, "WR"), (166, "S1"), (186, "SR")], .ceiling(.highestNeighbourCeiling), "Ceiling raise to highest ceiling")
        add([(44, "W1"), (72, "WR"), (167, "S1"), (187, "SR")], .ceiling(.ownFloorPlus8), "Ceiling lower to floor + 8")
        add([(145, "W1"), (152, "WR"), (41, "S1"), (43, "SR")], .ceiling(.ownFloor), "Ceiling lower to floor")
        add([(199, "W1"), (201, "WR"), (203, "S1"), (205, "SR")], .ceiling(.lowestNeighbourCeiling), "Ceiling lower to lowest ceiling")
        add([(200, "W1"), (202, "WR"), (204, "S1"), (206, "SR")], .ceiling(.highestNeighbourFloor), "Ceiling lower to highest floor")
        add([(25, "W1"), (73, "WR"), (49, "S1"), (184, "SR"), (6, "W1"), (77, "WR"), (164, "S1"), (183, "SR"),
             (141, "W1"), (150, "WR"), (165, "S1"), (185, "SR")], .crusher, "Crusher")
        // Lifts and platforms
        add([(10, "W1"), (88, "WR"), (21, "S1"), (62, "SR"), (121, "W1"), (120, "WR"), (122, "S1"), (123, "SR")],
            .lift(visits: [.lowestNeighbourFloor]), "Lift")
        add([(53, "W1"), (87, "WR"), (162, "S1"), (181, "SR")],
            .lift(visits: [.lowestNeighbourFloor, .highestNeighbourFloor]), "Perpetual lift")
        add([(22, "W1"), (95, "WR"), (20, "S1"), (68, "SR"), (47, "G1")], .floor(.nextHigherNeighbourFloor), "Platform raise to next higher floor")
        add([(143, "W1"), (148, "WR"), (15, "S1"), (66, "SR")], .floor(.by(24)), "Platform raise 24")
        add([(144, "W1"), (149, "WR"), (14, "S1"), (67, "SR")], .floor(.by(32)), "Platform raise 32")
        add([(211, "SR"), (212, "WR")], .unknown, "Platform toggle ceiling")
        add([(227, "W1"), (228, "WR"), (229, "S1"), (230, "SR")], .elevator(.nextHigherNeighbourFloor), "Elevator up")
        add([(231, "W1"), (232, "WR"), (233, "S1"), (234, "SR")], .elevator(.nextLowerNeighbourFloor), "Elevator down")
        add([(235, "W1"), (236, "WR"), (237, "S1"), (238, "SR")], .unknown, "Elevator to current floor")
        // Stairs
        add([(8, "W1"), (256, "WR"), (7, "S1"), (258, "SR")], .stairs(step: 8), "Build stairs 8")
        add([(100, "W1"), (257, "WR"), (127, "S1"), (259, "SR")], .stairs(step: 16), "Build stairs 16 (turbo)")
        // Teleporters and exits
        add([(39, "W1"), (97, "WR"), (174, "S1"), (195, "SR"), (207, "W1"), (208, "WR"), (209, "S1"), (210, "SR"),
             (125, "W1"), (126, "WR"), (268, "W1"), (269, "WR")], tele, "Teleport")
        add([(243, "W1"), (244, "WR"), (262, "W1"), (263, "WR"), (264, "W1"), (265, "WR"), (266, "W1"), (267, "WR")],
            lineTele, "Line teleport")
        add([(11, "S1"), (52, "W1"), (197, "G1")], .exit(secret: false), "Exit")
        add([(51, "S1"), (124, "W1"), (198, "G1")], .exit(secret: true), "Secret exit")
        // Lights, stops, texture changes: nothing that opens or closes a way.
        add([(12, "W1"), (13, "W1"), (17, "W1"), (35, "W1"), (104, "W1"), (79, "WR"), (80, "WR"), (81, "WR"), (156, "WR"),
             (157, "WR"), (138, "SR"), (139, "SR"), (169, "S1"), (170, "S1"), (171, "S1"), (172, "S1"), (173, "S1"),
             (192, "SR"), (193, "SR"), (194, "SR")], .cosmetic, "Light change")
        add([(54, "W1"), (89, "WR"), (163, "S1"), (182, "SR"), (57, "W1"), (74, "WR"), (168, "S1"), (188, "SR")],
            .cosmetic, "Stop lift or crusher")
        add([(153, "W1"), (154, "WR"), (189, "S1"), (190, "SR"), (239, "W1"), (240, "WR"), (241, "S1"), (78, "SR")],
            .cosmetic, "Change texture")
        // Properties of a line or its tagged sectors, never activated.
        add([(48, "--"), (85, "--"), (213, "--"), (223, "--"), (224, "--"), (225, "--"), (226, "--"), (242, "--"),
             (245, "--"), (246, "--"), (247, "--"), (248, "--"), (249, "--"), (250, "--"), (251, "--"), (252, "--"),
             (253, "--"), (254, "--"), (255, "--"), (260, "--"), (261, "--"), (271, "--"), (272, "--")],
            .cosmetic, "Static property (scroller, transfer, translucency)")
        return t
    }()
}
