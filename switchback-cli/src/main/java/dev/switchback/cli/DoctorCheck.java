package dev.switchback.cli;

/** One check of {@code switchback doctor}: its verdict, what was found, and what to do when it is not ok. */
record DoctorCheck(String name, Verdict verdict, String detail, String fix) {
    enum Verdict {
        OK, WARN, FAIL;

        String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static DoctorCheck ok(String name, String detail) {
        return new DoctorCheck(name, Verdict.OK, detail, null);
    }

    static DoctorCheck warn(String name, String detail, String fix) {
        return new DoctorCheck(name, Verdict.WARN, detail, fix);
    }

    static DoctorCheck fail(String name, String detail, String fix) {
        return new DoctorCheck(name, Verdict.FAIL, detail, fix);
    }
}
