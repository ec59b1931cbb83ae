package dev.rigger.lab.ec2;

/** An EC2 error answer: its code (as EC2 names it), message and HTTP status. */
final class Ec2ApiException extends RuntimeException {
    private final String code;
    private final int status;

    Ec2ApiException(String code, String message) {
        this(code, message, 400);
    }

    Ec2ApiException(String code, String message, int status) {
        super(message);
        this.code = code;
        this.status = status;
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }

    static Ec2ApiException missing(String parameter) {
        return new Ec2ApiException("MissingParameter", "The request must contain the parameter " + parameter);
    }

    static Ec2ApiException invalid(String parameter, String value, String why) {
        return new Ec2ApiException("InvalidParameterValue", "Value (" + value + ") for parameter " + parameter
                + " is invalid. " + why);
    }
}
