/// Linedefs without a front side, and a two-sided flag that disagrees with the sidedefs.
enum LinedefReferenceChecks {
    static func run(_ context: AnalysisContext) -> [Finding] {
        var findings: [Finding] = []
        for (index, line) in context.map.linedefs.enumerated() {
            let location = context.midpoint(ofLine: index)
            let id = MapElementID(.linedef, index)
            if line.frontSide == nil {
                findings.append(Finding(kind: .missingFrontSide,
                                        message: "Linedef \(index) at \(context.label(location)) has no front sidedef. Every line needs a front (right) side; flip the line or add a sidedef.",
                                        location: location, ids: [id]))
            }
            if line.backSide == nil, line.isMarkedTwoSided {
                findings.append(Finding(kind: .oneSidedLineMarkedTwoSided,
                                        message: "Linedef \(index) at \(context.label(location)) is marked two-sided but has no back sidedef. Engines may crash or draw garbage; clear the two-sided flag.",
                                        location: location, ids: [id]))
            } else if line.frontSide != nil, line.backSide != nil, !line.isMarkedTwoSided {
                findings.append(Finding(kind: .twoSidedLineMarkedOneSided,
                                        message: "Linedef \(index) at \(context.label(location)) has a back sidedef but is not marked two-sided. It renders as a solid wall and blocks sight; set the two-sided flag.",
                                        location: location, ids: [id]))
            }
        }
        return findings
    }
}
