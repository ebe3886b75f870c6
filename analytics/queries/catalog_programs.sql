select * from program
